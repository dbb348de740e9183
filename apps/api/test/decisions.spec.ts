import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDetailDto } from '@signoff/contracts';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let alice: string;
let bob: string;
let carol: string;
let finance: string;

const expense = {
  templateKey: 'expense',
  title: 'Taxi to the airport',
  fields: { amount: 120, spentOn: '2026-11-20', category: 'travel', reason: 'client visit' },
};

async function submitExpense(): Promise<TicketDetailDto> {
  const res = await t.request('POST', '/api/tickets', alice, expense);
  expect(res.status).toBe(201);
  return res.body;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return n;
}

beforeAll(async () => {
  t = await startTestApp();
  [alice, bob, carol, finance] = await Promise.all(['alice', 'bob', 'carol', 'finance'].map((u) => t.login(u)));
});
afterAll(() => t?.close());

describe('submitting a ticket', () => {
  it('creates the ticket with its first stage active for the requester’s manager, and event seq 1', async () => {
    const detail = await submitExpense();
    expect(detail.ticket.status).toBe('pending');
    expect(detail.seq).toBe(1);
    expect(detail.flow.steps.map((s) => [s.key, s.status])).toEqual([
      ['manager', 'active'],
      ['finance', 'waiting'],
    ]);
    expect(detail.flow.steps[0].approvers.map((a) => a.email)).toEqual(['bob@signoff.local']);
    const events = await t.request('GET', `/api/tickets/${detail.ticket.id}/events?after=0`, alice);
    expect(events.body.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([[1, 'ticket.submitted']]);
  });

  it('refuses fields that break the template with a message naming each field, and writes nothing', async () => {
    const before = await count('tickets', []);
    const res = await t.request('POST', '/api/tickets', alice, {
      ...expense,
      fields: { amount: 'lots', spentOn: '2026-02-30x', category: 'yacht', bogus: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
    expect(res.body.message).toContain('fields.amount');
    expect(res.body.message).toContain('fields.spentOn');
    expect(res.body.message).toContain('fields.category');
    expect(res.body.message).toContain('bogus');
    expect(await count('tickets', [])).toBe(before);
  });

  it('refuses an unknown template with 400 naming templateKey', async () => {
    const res = await t.request('POST', '/api/tickets', alice, { ...expense, templateKey: 'nope' });
    expect(res).toMatchObject({ status: 400, body: { statusCode: 400, message: expect.stringContaining('templateKey') } });
  });

  it('refuses a missing title with 400 naming title', async () => {
    const res = await t.request('POST', '/api/tickets', alice, { templateKey: 'expense', fields: expense.fields });
    expect(res).toMatchObject({ status: 400, body: { message: expect.stringContaining('title') } });
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await t.request('POST', '/api/tickets', alice, '{"title":', {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('needs a session', async () => {
    const res = await t.request('POST', '/api/tickets', undefined, expense);
    expect(res).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized' } });
  });
});

describe('deciding a step', () => {
  it('50 concurrent approvals of the same step give one 200 and 49 × 409, one decision row and one event', async () => {
    const detail = await submitExpense();
    const stepId = detail.flow.steps[0].id;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, bob, { stepId, decision: 'approve' }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(await count('decisions WHERE step_id = $1', [stepId])).toBe(1);
    expect(await count('ticket_events WHERE ticket_id = $1', [detail.ticket.id])).toBe(2);
    const after = await t.request('GET', `/api/tickets/${detail.ticket.id}`, alice);
    expect(after.body.seq).toBe(2);
    expect(after.body.flow.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'active']);
  });

  it('approving the last stage completes the ticket', async () => {
    const detail = await submitExpense();
    const [manager, financeStep] = detail.flow.steps;
    expect(
      (await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, bob, { stepId: manager.id, decision: 'approve' })).status,
    ).toBe(200);
    const done = await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, finance, {
      stepId: financeStep.id,
      decision: 'approve',
      comment: 'paid',
    });
    expect(done.status).toBe(200);
    expect(done.body.ticket.status).toBe('approved');
    expect(done.body.seq).toBe(3);
  });

  it('rejecting ends the ticket, keeps the comment and skips the later stages', async () => {
    const detail = await submitExpense();
    const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, bob, {
      stepId: detail.flow.steps[0].id,
      decision: 'reject',
      comment: 'over budget',
    });
    expect(res.status).toBe(200);
    expect(res.body.ticket.status).toBe('rejected');
    expect(res.body.flow.steps.map((s: { status: string }) => s.status)).toEqual(['rejected', 'skipped']);
    expect(res.body.flow.steps[0].comment).toBe('over budget');
  });

  it('refuses a user who is not an approver of the step with 403 and writes nothing', async () => {
    const detail = await submitExpense();
    for (const token of [alice, carol, finance]) {
      const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, token, {
        stepId: detail.flow.steps[0].id,
        decision: 'approve',
      });
      expect(res).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
    }
    expect(await count('decisions WHERE ticket_id = $1', [detail.ticket.id])).toBe(0);
    expect(await count('ticket_events WHERE ticket_id = $1', [detail.ticket.id])).toBe(1);
  });

  it('refuses a step that is not active with 409 and writes nothing', async () => {
    const detail = await submitExpense();
    const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, finance, {
      stepId: detail.flow.steps[1].id,
      decision: 'approve',
    });
    expect(res).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
    expect(await count('decisions WHERE ticket_id = $1', [detail.ticket.id])).toBe(0);
  });

  it.each([
    [{ decision: 'approve' }, 'stepId'],
    [{ stepId: 'not-a-uuid', decision: 'approve' }, 'stepId'],
    [{ stepId: '00000000-0000-4000-8000-000000000000', decision: 'maybe' }, 'decision'],
    [{ stepId: '00000000-0000-4000-8000-000000000000', decision: 'approve', comment: 42 }, 'comment'],
    [{ stepId: '00000000-0000-4000-8000-000000000000', decision: 'approve', extra: true }, 'extra'],
  ])('refuses the malformed body %j with 400 naming %s', async (body, field) => {
    const detail = await submitExpense();
    const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, bob, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toContain(field);
  });

  it('answers 404 for an unknown ticket and 400 for a ticket id that is not a uuid', async () => {
    const stepId = '00000000-0000-4000-8000-000000000000';
    expect((await t.request('POST', `/api/tickets/${stepId}/decisions`, bob, { stepId, decision: 'approve' })).status).toBe(404);
    const bad = await t.request('POST', '/api/tickets/123/decisions', bob, { stepId, decision: 'approve' });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('id') } });
  });
});

describe('seeing tickets', () => {
  it('shows the active step in the approver’s to-do box and not in a stranger’s', async () => {
    const detail = await submitExpense();
    const todo = await t.request('GET', '/api/tickets?box=todo', bob);
    expect(todo.body.map((s: { ticket: { id: string } }) => s.ticket.id)).toContain(detail.ticket.id);
    const other = await t.request('GET', '/api/tickets?box=todo', finance);
    expect(other.body.map((s: { ticket: { id: string } }) => s.ticket.id)).not.toContain(detail.ticket.id);
  });

  it('lets the requester, approvers and admins read a ticket but not other users', async () => {
    const detail = await submitExpense();
    const admin = await t.login('admin');
    for (const token of [alice, bob, finance, admin])
      expect((await t.request('GET', `/api/tickets/${detail.ticket.id}`, token)).status).toBe(200);
    expect((await t.request('GET', `/api/tickets/${detail.ticket.id}`, carol)).status).toBe(403);
    expect((await t.request('GET', `/api/tickets/${detail.ticket.id}/events`, carol)).status).toBe(403);
  });

  it('keeps box=all for admins', async () => {
    expect((await t.request('GET', '/api/tickets?box=all', alice)).status).toBe(403);
    expect((await t.request('GET', '/api/tickets?box=everything', alice)).status).toBe(400);
  });
});

describe('the event log', () => {
  it('is written by the app as the signoff_app role, which owns nothing', async () => {
    const [{ role }] = await t.dataSource.query('SELECT current_user AS role');
    expect(role).toBe('signoff_app');
  });

  it('cannot be updated, deleted, truncated or un-triggered by the app’s connection', async () => {
    await submitExpense();
    await expect(t.dataSource.query(`UPDATE ticket_events SET type = 'forged'`)).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query('DELETE FROM ticket_events')).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query('TRUNCATE ticket_events CASCADE')).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query('ALTER TABLE ticket_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE type = 'forged'`);
    expect(n).toBe(0);
  });

  it('refuses rewrites even from the owner, through the append-only triggers', async () => {
    await submitExpense();
    const owner = new Client({ connectionString: t.config.DATABASE_URL });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE ticket_events SET type = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM ticket_events')).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE ticket_events CASCADE')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });
});
