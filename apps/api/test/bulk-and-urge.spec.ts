import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkDecisionResponse, TicketDetailDto, UrgedDto } from '@signoff/contracts';
import { connected, nextEvent, startTestApp, type TestApp } from './harness';

let t: TestApp;
let alice: string;
let carol: string;
let bob: string;

const expense = (title: string) => ({ templateKey: 'expense', title, fields: { amount: 50, spentOn: '2026-11-20', category: 'meals' } });

beforeAll(async () => {
  t = await startTestApp({ URGE_INTERVAL_MINUTES: '10' });
  [alice, carol, bob] = await Promise.all(['alice', 'carol', 'bob'].map((u) => t.login(u)));
});
afterAll(() => t?.close());

const submit = async (token: string, title: string): Promise<TicketDetailDto> =>
  (await t.request('POST', '/api/tickets', token, expense(title))).body;

describe('bulk decisions', () => {
  it('decides each ticket on its own and reports what succeeded and what failed and why', async () => {
    const [a, b, decided] = await Promise.all([submit(alice, 'Bulk A'), submit(carol, 'Bulk B'), submit(alice, 'Bulk C')]);
    await t.request('POST', `/api/tickets/${decided.ticket.id}/decisions`, bob, { stepId: decided.flow.steps[0].id, decision: 'approve' });
    const notMine = a.flow.steps[1]; // the finance stage: bob is not its approver
    const res = await t.request('POST', '/api/tickets/bulk-decisions', bob, {
      decision: 'approve',
      comment: 'batch',
      items: [
        { ticketId: a.ticket.id, stepId: a.flow.steps[0].id },
        { ticketId: b.ticket.id, stepId: b.flow.steps[0].id },
        { ticketId: decided.ticket.id, stepId: decided.flow.steps[0].id },
        { ticketId: a.ticket.id, stepId: notMine.id },
        { ticketId: '00000000-0000-4000-8000-000000000000', stepId: a.flow.steps[0].id },
      ],
    });
    expect(res.status).toBe(200);
    const body = res.body as BulkDecisionResponse;
    expect(body).toMatchObject({ succeeded: 2, failed: 3 });
    expect(body.results.map((r) => (r.ok ? 'ok' : r.statusCode))).toEqual(['ok', 'ok', 409, 403, 404]);
    expect(body.results[2]).toMatchObject({ ok: false, message: expect.stringMatching(/not waiting/) });
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM decisions WHERE ticket_id = ANY($1)', [
      [a.ticket.id, b.ticket.id],
    ]);
    expect(n).toBe(2);
  });

  it('refuses an empty or oversized batch with 400 and decides nothing', async () => {
    expect(await t.request('POST', '/api/tickets/bulk-decisions', bob, { decision: 'approve', items: [] })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('items') },
    });
    const many = Array.from({ length: 101 }, () => ({
      ticketId: '00000000-0000-4000-8000-000000000000',
      stepId: '00000000-0000-4000-8000-000000000000',
    }));
    expect((await t.request('POST', '/api/tickets/bulk-decisions', bob, { decision: 'approve', items: many })).status).toBe(400);
  });
});

describe('urging (催办)', () => {
  it('tells the active approver, logs the urge and refuses a second one within the interval with 429', async () => {
    const detail = await submit(alice, 'Please look');
    const approver = t.socket(bob);
    await connected(approver);
    const urged = nextEvent<UrgedDto>(approver, 'ticket:urged');
    const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/urge`, alice);
    expect(res).toMatchObject({ status: 200, body: { type: 'ticket.urged', seq: 2 } });
    expect(await urged).toMatchObject({ ticketId: detail.ticket.id, title: 'Please look', by: { email: 'alice@signoff.local' } });
    const again = await t.request('POST', `/api/tickets/${detail.ticket.id}/urge`, alice);
    expect(again).toMatchObject({ status: 429, body: { statusCode: 429, message: expect.stringMatching(/again in 10 minutes/) } });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'ticket.urged'`,
      [detail.ticket.id],
    );
    expect(n).toBe(1);
  });

  it('lets only the requester urge, and only while the ticket is pending', async () => {
    const detail = await submit(alice, 'Not yours');
    expect((await t.request('POST', `/api/tickets/${detail.ticket.id}/urge`, bob)).status).toBe(403);
    await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, bob, {
      stepId: detail.flow.steps[0].id,
      decision: 'reject',
      comment: 'no',
    });
    expect((await t.request('POST', `/api/tickets/${detail.ticket.id}/urge`, alice)).status).toBe(409);
  });
});
