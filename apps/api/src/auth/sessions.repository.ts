import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { SessionEntity, UserEntity } from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async create(userId: string, tokenHash: string, expiresAt: Date) {
    await this.db.getRepository(SessionEntity).insert({ userId, tokenHash, expiresAt });
  }

  /** The active user behind an unexpired session, or null. */
  async findUser(tokenHash: string): Promise<UserEntity | null> {
    return this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin(SessionEntity, 's', 's.user_id = u.id')
      .where('s.token_hash = :tokenHash', { tokenHash })
      .andWhere('s.expires_at > now()')
      .andWhere('u.active')
      .getOne();
  }

  async delete(tokenHash: string) {
    await this.db.getRepository(SessionEntity).delete({ tokenHash });
  }

  async deleteForUser(userId: string) {
    await this.db.getRepository(SessionEntity).delete({ userId });
  }

  async deleteExpired() {
    await this.db.getRepository(SessionEntity).delete({ expiresAt: LessThan(new Date()) });
  }

  /** Ends every session of a user (signs them out everywhere); returns how many there were. */
  async revokeAllForUser(userId: string): Promise<number> {
    const result = await this.db.getRepository(SessionEntity).delete({ userId });
    return result.affected ?? 0;
  }

  countForUser(userId: string): Promise<number> {
    return this.db.getRepository(SessionEntity).countBy({ userId });
  }

  /** Of the given session hashes, those still valid: unexpired, and their user active. */
  async stillValid(tokenHashes: string[]): Promise<Set<string>> {
    if (tokenHashes.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ANY($1) AND s.expires_at > now() AND u.active`,
      [tokenHashes],
    )) as Array<{ token_hash: string }>;
    return new Set(rows.map((r) => r.token_hash));
  }
}
