/**
 * Stage deadlines: an undecided task is escalated to its assignee's manager when the
 * stage's deadlineHours pass, and again one level up after each further deadline. Timers
 * live in the database: they fire exactly once with two API processes polling, and they
 * still fire after every instance was stopped before they were due.
 *
 * Chain used throughout (bob → director is set here; the seed gives alice → bob):
 * alice → bob → director → (no manager, not an admin) the first admin → (top) stays.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateDef, TicketDetailDto, TicketEventDto } from '@signoff/contracts';
import { createTestDatabase, dropTestDatabase, startTestApp, type TestApp } from './harness';
import { login, request, startApi, stop, stopAll, waitUntil, type ApiInstance } from './processes';

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 0.0005 h = 1.8 s. */
const SHORT = 0.0005;

const deadlineTemplate = (key: string, deadlineHours: number): TemplateDef => ({
  key,
  name: { en: `Deadline ${key}`, zh: `期限 ${key}` },
  description: { en: 'Escalates when undecided', zh: '超时升级' },
  fields: [],
  stages: [
    {
      key: 'review',
      name: { en: 'Review', zh: '审核' },
      mode: 'single',
      approver: { kind: 'user', email: 'alice@signoff.local' },
      deadlineHours,
    },
  ],
});

async function setUp(query: Query) {
  await query(
    `UPDATE users SET manager_id = (SELECT id FROM users WHERE email = 'director@signoff.local') WHERE email = 'bob@signoff.local'`,
  );
  for (const [key, hours] of [
    ['deadline-short', SHORT],
    ['deadline-restart', 0.001],
  ] as const) {
    await query(`INSERT INTO templates (key, version, definition) VALUES ($1, 1, $2)`, [key, JSON.stringify(deadlineTemplate(key, hours))]);
  }
}

const escalations = async (query: Query, ticketId: string) =>
  (
    (await query(`SELECT payload FROM ticket_events WHERE ticket_id = $1 AND type = 'task.escalated' ORDER BY seq`, [ticketId])) as Array<{
      payload: TicketEventDto;
    }>
  ).map((r) => r.payload);

/** The step's tasks in order: who holds each, for whom, and its status. */
const tasksOf = async (query: Query, ticketId: string) =>
  (await query(
    `SELECT split_part(a.email, '@', 1) AS assignee, split_part(o.email, '@', 1) AS "onBehalfOf", k.status
       FROM ticket_tasks k JOIN users a ON a.id = k.assignee_id LEFT JOIN users o ON o.id = k.on_behalf_of
      WHERE k.ticket_id = $1 ORDER BY k.ord`,
    [ticketId],
  )) as Array<{ assignee: string; onBehalfOf: string | null; status: string }>;

const timersOf = async (query: Query, ticketId: string) =>
  (await query(`SELECT id, fired_at, cancelled_at, payload FROM timers WHERE ticket_id = $1 ORDER BY id`, [ticketId])) as Array<{
    id: string;
    fired_at: Date | null;
    cancelled_at: Date | null;
    payload: { level: number; round: number; hours: number };
  }>;

const pendingTimers = async (query: Query, ticketId: string) =>
  (await timersOf(query, ticketId)).filter((r) => r.fired_at === null && r.cancelled_at === null);

async function waitForEscalations(query: Query, ticketId: string, n: number, ms = 15_000) {
  await waitUntil(`${n} escalation(s) of ${ticketId}`, async () => (await escalations(query, ticketId)).length >= n, ms, 50);
}

describe('stage deadlines in one instance', () => {
  let t: TestApp;
  let query: Query;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ TIMER_POLL_MS: '100' });
    query = (sql, params) => t.dataSource.query(sql, params);
    await setUp(query);
    for (const who of ['carol', 'alice', 'admin']) tokens[who] = await t.login(who);
  });
  afterAll(() => t?.close());

  const submit = async (templateKey: string, title: string): Promise<TicketDetailDto> => {
    const res = await t.request('POST', '/api/tickets', tokens.carol, { templateKey, title, fields: {} });
    expect(res.status).toBe(201);
    return res.body as TicketDetailDto;
  };

  it('escalates an undecided task to the manager after the deadline, then one level up after each further deadline, once per level', async () => {
    const detail = await submit('deadline-short', 'Escalate me');
    const ticketId = detail.ticket.id;
    expect(await pendingTimers(query, ticketId)).toHaveLength(1);

    await waitForEscalations(query, ticketId, 1);
    const [first] = await escalations(query, ticketId);
    expect(first).toMatchObject({
      type: 'task.escalated',
      actor: null,
      onBehalfOf: { email: 'alice@signoff.local' },
      comment: `escalated after ${SHORT} h`,
    });
    expect(await tasksOf(query, ticketId)).toEqual([
      { assignee: 'alice', onBehalfOf: null, status: 'transferred' },
      { assignee: 'bob', onBehalfOf: 'alice', status: 'active' },
    ]);

    // The timer restarted at bob's level: director next, then (director has no manager) the admin.
    await waitForEscalations(query, ticketId, 3);
    const events = await escalations(query, ticketId);
    expect(events.map((e) => e.onBehalfOf?.email)).toEqual(['alice', 'alice', 'alice'].map((u) => `${u}@signoff.local`));
    expect((await tasksOf(query, ticketId)).map((k) => `${k.assignee}:${k.status}`)).toEqual([
      'alice:transferred',
      'bob:transferred',
      'director:transferred',
      'admin:active',
    ]);

    // The admin is the top of the chain: the next deadline fires without handing the task on.
    await sleep(SHORT * 3_600_000 + 800);
    expect(await escalations(query, ticketId)).toHaveLength(3);
    const timers = await timersOf(query, ticketId);
    expect(timers.filter((r) => r.fired_at && r.cancelled_at)).toEqual([]);
    expect(timers.filter((r) => r.fired_at).length).toBeGreaterThanOrEqual(4);
    expect(timers.filter((r) => !r.fired_at && !r.cancelled_at)).toHaveLength(1);
    expect(timers.map((r) => r.payload.level).slice(0, 4)).toEqual([0, 1, 2, 3]);

    // The admin decides: the step ends and its timer is cancelled.
    const res = await t.request('POST', `/api/tickets/${ticketId}/decisions`, tokens.admin, {
      stepId: detail.flow.steps[0].id,
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    await sleep(300);
    expect(await pendingTimers(query, ticketId)).toEqual([]);
    expect(await escalations(query, ticketId)).toHaveLength(3);
  });

  it('cancels the deadline when the step is decided before it, so nothing is escalated', async () => {
    const detail = await submit('deadline-short', 'Decided in time');
    const ticketId = detail.ticket.id;
    const [timer] = await pendingTimers(query, ticketId);
    expect(timer).toBeDefined();
    const res = await t.request('POST', `/api/tickets/${ticketId}/decisions`, tokens.alice, {
      stepId: detail.flow.steps[0].id,
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    expect(res.body.ticket.status).toBe('approved');
    await sleep(SHORT * 3_600_000 + 700);
    expect(await escalations(query, ticketId)).toEqual([]);
    const [after] = await timersOf(query, ticketId);
    expect(after).toMatchObject({ id: timer.id, fired_at: null, cancelled_at: expect.any(Date) });
    expect(await timersOf(query, ticketId)).toHaveLength(1);
  });
});

describe('stage deadlines across API processes', () => {
  let databaseUrl = '';
  let db: Client;
  let query: Query;
  let a: ApiInstance | null = null;
  let b: ApiInstance | null = null;
  let carol = '';

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    query = async (sql, params) => (await db.query(sql, params)).rows;
    const env = { DATABASE_URL: databaseUrl, TIMER_POLL_MS: '100' };
    a = await startApi({ ...env, SEED_DEMO: 'true' });
    b = await startApi({ ...env, SEED_DEMO: 'false' });
    await setUp(query);
    carol = await login(a.baseUrl, 'carol');
  });

  afterAll(async () => {
    await stopAll();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const submit = async (baseUrl: string, templateKey: string, title: string): Promise<TicketDetailDto> => {
    const res = await request(baseUrl, 'POST', '/api/tickets', { token: carol, body: { templateKey, title, fields: {} } });
    expect(res.status).toBe(201);
    return res.body as TicketDetailDto;
  };

  it('fires each deadline exactly once with two instances polling the same database', async () => {
    const tickets = await Promise.all(
      Array.from({ length: 6 }, (_, i) => submit(i % 2 ? b!.baseUrl : a!.baseUrl, 'deadline-short', `Two pollers ${i}`)),
    );
    for (const d of tickets) await waitForEscalations(query, d.ticket.id, 3);
    // One more deadline passes at the top of the chain: still one event per level.
    await sleep(SHORT * 3_600_000 + 500);
    for (const d of tickets) {
      expect(await escalations(query, d.ticket.id)).toHaveLength(3);
      expect((await tasksOf(query, d.ticket.id)).map((k) => k.assignee)).toEqual(['alice', 'bob', 'director', 'admin']);
      const log = (await query('SELECT seq, type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [d.ticket.id])) as Array<{
        seq: number;
        type: string;
      }>;
      expect(log).toEqual([
        { seq: 1, type: 'ticket.submitted' },
        { seq: 2, type: 'task.escalated' },
        { seq: 3, type: 'task.escalated' },
        { seq: 4, type: 'task.escalated' },
      ]);
      const timers = await timersOf(query, d.ticket.id);
      expect(timers.filter((r) => r.fired_at && r.cancelled_at)).toEqual([]);
      expect(timers.filter((r) => !r.fired_at && !r.cancelled_at)).toHaveLength(1);
    }
  });

  it('fires a deadline that fell due while every instance was stopped, once, after a new one starts', async () => {
    const detail = await submit(a!.baseUrl, 'deadline-restart', 'Survives a restart');
    const ticketId = detail.ticket.id;
    const [timer] = await pendingTimers(query, ticketId);
    expect(timer).toBeDefined();
    await Promise.all([stop(a!.child), stop(b!.child)]);
    a = b = null;
    expect(await escalations(query, ticketId)).toEqual([]);

    // Start again only once the deadline has passed with nobody running.
    const [{ wait }] = (await query(
      `SELECT greatest(0, extract(epoch FROM due_at - now()) * 1000)::int AS wait FROM timers WHERE id = $1`,
      [timer.id],
    )) as Array<{ wait: number }>;
    await sleep(wait + 200);
    expect(await pendingTimers(query, ticketId)).toHaveLength(1);

    const c = await startApi({ DATABASE_URL: databaseUrl, TIMER_POLL_MS: '100', SEED_DEMO: 'false' });
    await waitForEscalations(query, ticketId, 1);
    await sleep(500);
    const events = await escalations(query, ticketId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: null, onBehalfOf: { email: 'alice@signoff.local' }, comment: 'escalated after 0.001 h' });
    const timers = await timersOf(query, ticketId);
    expect(timers[0]).toMatchObject({ id: timer.id, fired_at: expect.any(Date), cancelled_at: null });
    expect(timers.filter((r) => r.fired_at)).toHaveLength(1);
    await stop(c.child);
  });
});
