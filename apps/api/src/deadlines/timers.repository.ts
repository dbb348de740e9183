/**
 * Database timers (the `timers` table): they survive restarts, and a due timer fires
 * exactly once however many instances poll, because it is claimed with
 * `FOR UPDATE SKIP LOCKED` and marked fired in the same transaction that carries out its
 * effects — both commit, or neither does and the timer is claimed again.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/tokens';

/** A transaction handed to timer handlers; pass it on to other repositories' `…In(tx, …)` methods. */
export type Tx = EntityManager;

export interface TimerRow {
  id: string;
  kind: string;
  ticketId: string;
  stepId: string | null;
  taskId: string | null;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/**
 * What a handler did with a claimed timer: `fired` (its effects are written in `tx`;
 * `result` is returned by claimDue after COMMIT, e.g. to publish), or `cancelled` (it no
 * longer applies: the step moved on).
 */
export type TimerOutcome<T> = { outcome: 'fired'; result?: T } | { outcome: 'cancelled' };
export type TimerHandler<T> = (timer: TimerRow, tx: Tx) => Promise<TimerOutcome<T>>;

/** A handler that throws leaves its timer pending, retried after this long. */
const RETRY_AFTER_SECONDS = 30;

interface RawTimer {
  id: string;
  kind: string;
  ticket_id: string;
  step_id: string | null;
  task_id: string | null;
  due_at: Date;
  payload: Record<string, unknown>;
}

const toTimer = (r: RawTimer): TimerRow => ({
  id: String(r.id),
  kind: r.kind,
  ticketId: r.ticket_id,
  stepId: r.step_id,
  taskId: r.task_id,
  dueAt: new Date(r.due_at),
  payload: r.payload ?? {},
});

@Injectable()
export class TimersRepository {
  private readonly logger = new Logger(TimersRepository.name);

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async schedule(
    kind: string,
    ticketId: string,
    stepId: string | null,
    dueAt: Date,
    payload: Record<string, unknown> = {},
    manager: Tx = this.db.manager,
  ): Promise<string> {
    const [{ id }] = (await manager.query(
      `INSERT INTO timers (kind, ticket_id, step_id, due_at, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [kind, ticketId, stepId, dueAt, JSON.stringify(payload)],
    )) as Array<{ id: string }>;
    return String(id);
  }

  /**
   * Cancels the pending timers of a step. A timer being fired right now (locked by a
   * poller) is skipped rather than waited for: its handler sees the step's new state
   * under the ticket lock and cancels it itself. Never waiting here also means no
   * deadlock with a poller that holds the timer and waits for the ticket.
   */
  async cancelForStep(stepId: string, manager: Tx = this.db.manager): Promise<number> {
    const rows = (await manager.query(
      `UPDATE timers SET cancelled_at = now()
        WHERE id IN (SELECT id FROM timers WHERE step_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [stepId],
    )) as [unknown[], number];
    return rows[1];
  }

  /** Cancels the given pending timers (skipping any a poller holds, as cancelForStep does). */
  async cancel(ids: string[], manager: Tx = this.db.manager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE timers SET cancelled_at = now()
        WHERE id IN (SELECT id FROM timers WHERE id = ANY($1::bigint[]) AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED)`,
      [ids],
    );
  }

  /** The ticket's timers of a kind that have neither fired nor been cancelled. */
  async pendingForTicket(ticketId: string, kind: string, manager: Tx = this.db.manager): Promise<TimerRow[]> {
    const rows = (await manager.query(
      `SELECT * FROM timers WHERE ticket_id = $1 AND kind = $2 AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY id`,
      [ticketId, kind],
    )) as RawTimer[];
    return rows.map(toTimer);
  }

  /**
   * Does the ticket need its deadline timers looked at: a pending one to keep or cancel,
   * or a template with a stage deadline? One cheap read, so changes to tickets of
   * templates without deadlines cost nothing more.
   */
  async mayNeedDeadlines(ticketId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM tickets t JOIN templates tp ON tp.id = t.template_id
        WHERE t.id = $1 AND (
          EXISTS (SELECT 1 FROM jsonb_array_elements(tp.definition->'stages') st WHERE jsonb_typeof(st->'deadlineHours') = 'number')
          OR EXISTS (SELECT 1 FROM timers x WHERE x.ticket_id = t.id AND x.fired_at IS NULL AND x.cancelled_at IS NULL))`,
      [ticketId],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Tickets with an active step whose stage has a deadline but no pending timer of `kind`
   * (a crash between a commit and its scheduling), for the periodic repair.
   */
  async ticketsMissingDeadline(kind: string, limit = 100): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT DISTINCT s.ticket_id FROM ticket_steps s
         JOIN tickets t ON t.id = s.ticket_id AND t.status = 'pending'
         JOIN templates tp ON tp.id = t.template_id
        WHERE s.status = 'active'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(tp.definition->'stages') st
                       WHERE st->>'key' = s.key
                         AND CASE WHEN jsonb_typeof(st->'deadlineHours') = 'number' THEN (st->>'deadlineHours')::float8 > 0 ELSE false END)
          AND NOT EXISTS (SELECT 1 FROM timers x
                           WHERE x.step_id = s.id AND x.kind = $1 AND x.fired_at IS NULL AND x.cancelled_at IS NULL)
        LIMIT ${Number(limit)}`,
      [kind],
    )) as Array<{ ticket_id: string }>;
    return rows.map((r) => r.ticket_id);
  }

  /**
   * Claims up to `limit` due timers in ONE transaction (`FOR UPDATE SKIP LOCKED`: another
   * instance takes other rows or none), runs `handler` for each inside it and marks each
   * fired (or cancelled); returns the handlers' results once that transaction committed.
   * `kinds` limits the claim to those kinds, so a poller never takes timers it cannot handle.
   *
   * Handlers run in ticket order, so two pollers lock tickets in the same order and never
   * deadlock each other. Each runs under a savepoint: one that throws is rolled back alone
   * and its timer stays pending, retried after RETRY_AFTER_SECONDS.
   */
  async claimDue<T>(limit: number, handler: TimerHandler<T>, kinds?: string[]): Promise<{ claimed: number; results: T[] }> {
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT * FROM timers
          WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now() AND ($1::text[] IS NULL OR kind = ANY($1::text[]))
          ORDER BY due_at
          LIMIT ${Number(limit)}
          FOR UPDATE SKIP LOCKED`,
        [kinds ?? null],
      )) as RawTimer[];
      const timers = rows
        .map(toTimer)
        .sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : Number(a.id) - Number(b.id)));
      const results: T[] = [];
      for (const timer of timers) {
        await tx.query('SAVEPOINT timer');
        try {
          const done = await handler(timer, tx);
          const column = done.outcome === 'fired' ? 'fired_at' : 'cancelled_at';
          await tx.query(`UPDATE timers SET ${column} = now() WHERE id = $1`, [timer.id]);
          await tx.query('RELEASE SAVEPOINT timer');
          if (done.outcome === 'fired' && done.result !== undefined) results.push(done.result);
        } catch (err) {
          await tx.query('ROLLBACK TO SAVEPOINT timer');
          this.logger.error(`timer ${timer.id} (${timer.kind}) failed, retrying in ${RETRY_AFTER_SECONDS} s: ${String(err)}`);
          await tx.query(
            `UPDATE timers SET due_at = now() + make_interval(secs => $2),
                    payload = payload || jsonb_build_object('attempts', coalesce((payload->>'attempts')::int, 0) + 1, 'lastError', $3::text)
              WHERE id = $1`,
            [timer.id, RETRY_AFTER_SECONDS, String(err)],
          );
        }
      }
      return { claimed: timers.length, results };
    });
  }
}
