import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TICKET_STATUSES, type StatsDto, type TicketStatus } from '@signoff/contracts';
import { DATA_SOURCE } from '../database/tokens';

export const STATS_MINUTES = 30;

@Injectable()
export class StatsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async read(now = new Date()): Promise<StatsDto> {
    const [byStatus, perMinute] = await Promise.all([
      this.db.query('SELECT status, count(*)::int AS n FROM tickets GROUP BY status') as Promise<
        Array<{ status: TicketStatus; n: number }>
      >,
      this.db.query(
        `SELECT date_trunc('minute', created_at) AS minute, count(*)::int AS n FROM decisions
          WHERE created_at >= date_trunc('minute', $1::timestamptz) - make_interval(mins => $2 - 1)
          GROUP BY 1`,
        [now.toISOString(), STATS_MINUTES],
      ) as Promise<Array<{ minute: Date; n: number }>>,
    ]);
    const ticketsByStatus = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
    for (const row of byStatus) ticketsByStatus[row.status] = row.n;
    const counts = new Map(perMinute.map((r) => [new Date(r.minute).getTime(), r.n]));
    const thisMinute = Math.floor(now.getTime() / 60_000) * 60_000;
    const decisionsPerMinute = Array.from({ length: STATS_MINUTES }, (_, i) => {
      const minute = thisMinute - (STATS_MINUTES - 1 - i) * 60_000;
      return { minute: new Date(minute).toISOString(), count: counts.get(minute) ?? 0 };
    });
    return { ticketsByStatus, decisionsPerMinute, at: now.toISOString() };
  }
}
