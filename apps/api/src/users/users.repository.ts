import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Role, UserDto, UserRef } from '@signoff/contracts';
import { UserEntity } from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';

export interface UserUpsert {
  email: string;
  name: string;
  role: Role;
  managerId: string | null;
  passwordHash?: string;
}

export const toUserDto = (u: UserEntity): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  managerId: u.managerId,
  active: u.active,
});
export const toUserRef = (u: Pick<UserEntity, 'id' | 'email' | 'name'>): UserRef => ({ id: u.id, email: u.email, name: u.name });

@Injectable()
export class UsersRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  findById(id: string) {
    return this.db.getRepository(UserEntity).findOneBy({ id });
  }

  findByEmail(email: string) {
    return this.db.getRepository(UserEntity).findOneBy({ email: email.toLowerCase() });
  }

  async findWithPasswordByEmail(email: string): Promise<UserEntity | null> {
    return this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  findByIds(ids: string[], manager: EntityManager = this.db.manager) {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(UserEntity).findBy({ id: In(ids) });
  }

  findByEmails(emails: string[]) {
    if (emails.length === 0) return Promise.resolve([]);
    return this.db.getRepository(UserEntity).findBy({ email: In(emails.map((e) => e.toLowerCase())) });
  }

  /** Active users of a role, oldest first so routing is stable. */
  findActiveByRole(role: Role) {
    return this.db.getRepository(UserEntity).find({ where: { role, active: true }, order: { createdAt: 'ASC' } });
  }

  list() {
    return this.db.getRepository(UserEntity).find({ order: { email: 'ASC' } });
  }

  count() {
    return this.db.getRepository(UserEntity).count();
  }

  /**
   * Inserts or updates users by email in one transaction: either every row is written
   * or none is. Managers are given by email and may be users of the same batch.
   */
  async upsertMany(
    rows: Array<Omit<UserUpsert, 'managerId'> & { managerEmail?: string }>,
  ): Promise<{ created: string[]; updated: string[] }> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(UserEntity);
      const created: string[] = [];
      const updated: string[] = [];
      const byEmail = new Map<string, UserEntity>();
      for (const row of rows) {
        const existing = await repo.findOneBy({ email: row.email });
        const patch = {
          name: row.name,
          role: row.role,
          updatedAt: new Date(),
          ...(row.passwordHash ? { passwordHash: row.passwordHash } : {}),
        };
        if (existing) {
          await repo.update({ id: existing.id }, patch);
          updated.push(row.email);
          byEmail.set(row.email, { ...existing, ...patch });
        } else {
          const saved = await repo.save(repo.create({ email: row.email, active: true, managerId: null, passwordHash: null, ...patch }));
          created.push(row.email);
          byEmail.set(row.email, saved);
        }
      }
      for (const row of rows) {
        if (row.managerEmail === undefined) continue;
        const manager = byEmail.get(row.managerEmail) ?? (await repo.findOneBy({ email: row.managerEmail }));
        if (!manager) throw new Error(`manager ${row.managerEmail} of ${row.email} does not exist`);
        await repo.update({ id: byEmail.get(row.email)!.id }, { managerId: manager.id });
      }
      return { created, updated };
    });
  }

  async setActive(id: string, active: boolean) {
    await this.db.getRepository(UserEntity).update({ id }, { active, updatedAt: new Date() });
  }

  async setPasswordHash(id: string, passwordHash: string) {
    await this.db.getRepository(UserEntity).update({ id }, { passwordHash, updatedAt: new Date() });
  }

  /** Active users whose name or email contains `q` (case-insensitive), by name. */
  search(q: string, limit: number) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.active')
      .andWhere('(u.name ILIKE :pattern OR u.email ILIKE :pattern)', { pattern })
      .orderBy('u.name')
      .limit(limit)
      .getMany();
  }
}
