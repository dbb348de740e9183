import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { DelegationEntity } from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';

@Injectable()
export class DelegationsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  find(userId: string) {
    return this.db.getRepository(DelegationEntity).findOneBy({ userId });
  }

  async set(userId: string, delegateId: string, startsOn: string, endsOn: string) {
    await this.db.getRepository(DelegationEntity).upsert({ userId, delegateId, startsOn, endsOn }, ['userId']);
  }

  async clear(userId: string) {
    await this.db.getRepository(DelegationEntity).delete({ userId });
  }

  /** user id → delegate id, for those of `userIds` who are away on `day` (YYYY-MM-DD). */
  async activeOn(userIds: string[], day: string): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.getRepository(DelegationEntity).findBy({
      userId: In(userIds),
      startsOn: LessThanOrEqual(day),
      endsOn: MoreThanOrEqual(day),
    });
    return new Map(rows.map((r) => [r.userId, r.delegateId]));
  }
}
