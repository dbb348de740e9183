/**
 * Actions fired at the same time on the same ticket: each request is served as if the
 * requests had come one after another (the ticket's row lock), a loser changes nothing,
 * and the log has exactly one event per success.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkDecisionResponse, TicketDetailDto } from '@signoff/contracts';
import {
  contract,
  count,
  decide,
  getTicket,
  publishTemplate,
  purchase,
  stage,
  stepOf,
  submit,
  tasksOf,
  tokens,
  userIds,
  type Demo,
} from './approval-fixtures';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let tok: Record<Demo, string>;
let id: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  [tok, id] = await Promise.all([tokens(t), userIds(t)]);
  await publishTemplate(t, 'quick', [stage('manager', 'single', ['bob'])]);
  await publishTemplate(t, 'seq3', [stage('seq', 'sequential', ['qa', 'finance', 'ops'])]);
  await publishTemplate(t, 'quorum3', [stage('vote', 'quorum', ['finance', 'qa', 'ops'], { quorum: 2 })]);
});
afterAll(() => t?.close());

const eventsOf = (ticketId: string) => count(t, 'ticket_events WHERE ticket_id = $1', [ticketId]);
const decisionsOf = (ticketId: string) => count(t, 'decisions WHERE ticket_id = $1', [ticketId]);

describe('approve vs withdraw vs transfer on the same task', () => {
  /**
   * Bob holds the only task of a one-stage ticket. Served one after another, the three
   * requests can only end in one of these ways (approve and transfer both consume bob's
   * task; withdraw is allowed until the ticket finishes, so it also succeeds after a
   * transfer, which leaves the ticket pending):
   */
  const SERIAL_OUTCOMES = [
    { approve: 200, withdraw: 409, transfer: 409, status: 'approved' }, // approve first
    { approve: 409, withdraw: 200, transfer: 409, status: 'withdrawn' }, // withdraw first
    { approve: 403, withdraw: 200, transfer: 200, status: 'withdrawn' }, // transfer, then withdraw
  ];

  it('10 rounds: the outcome is always one of the serial ones, approve and transfer never both win, and losers write nothing', async () => {
    for (let round = 0; round < 10; round++) {
      const d = await submit(t, tok.alice, 'quick', {}, `race ${round}`);
      const stepId = stepOf(d, 'manager').id;
      const path = `/api/tickets/${d.ticket.id}`;
      const [approve, withdraw, transfer] = await Promise.all([
        decide(t, tok.bob, d.ticket.id, stepId, 'approve'),
        t.request('POST', `${path}/withdraw`, tok.alice, { comment: 'race' }),
        t.request('POST', `${path}/transfer`, tok.bob, { stepId, toUserId: id.director }),
      ]);
      const after = await getTicket(t, tok.alice, d.ticket.id);
      const outcome = { approve: approve.status, withdraw: withdraw.status, transfer: transfer.status, status: after.ticket.status };
      expect(SERIAL_OUTCOMES, JSON.stringify(outcome)).toContainEqual(outcome);

      expect([approve, transfer].filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      const successes = [approve, withdraw, transfer].filter((r) => r.status === 200).length;
      expect(await eventsOf(d.ticket.id)).toBe(1 + successes);
      expect(after.seq).toBe(1 + successes);
      expect(await decisionsOf(d.ticket.id)).toBe(approve.status === 200 ? 1 : 0);
      for (const loser of [approve, withdraw, transfer].filter((r) => r.status !== 200)) {
        expect(loser.body).toMatchObject({ statusCode: loser.status, message: expect.any(String) });
      }
      // Nobody holds an active task on a finished ticket.
      expect(await count(t, `ticket_tasks WHERE ticket_id = $1 AND status = 'active'`, [d.ticket.id])).toBe(0);
      if (transfer.status === 200) {
        expect(stepOf(after, 'manager').tasks.map((k) => [k.assignee.email.split('@')[0], k.status])).toEqual([
          ['bob', 'transferred'],
          ['director', 'closed'],
        ]);
      }
    }
  });

  it('approve vs transfer by the holder, 10 rounds on a two-stage ticket: exactly one wins, the other gets 409 or 403', async () => {
    for (let round = 0; round < 10; round++) {
      const d = await submit(t, tok.alice, 'expense', { amount: 10, spentOn: '2026-11-20', category: 'meals' });
      const stepId = stepOf(d, 'manager').id;
      const [approve, transfer] = await Promise.all([
        decide(t, tok.bob, d.ticket.id, stepId, 'approve'),
        t.request('POST', `/api/tickets/${d.ticket.id}/transfer`, tok.bob, { stepId, toUserId: id.director }),
      ]);
      const statuses = [approve.status, transfer.status].sort();
      // Approve first: the step is no longer active (409). Transfer first: bob no longer holds the task (403).
      expect([
        [200, 409],
        [200, 403],
      ]).toContainEqual(statuses);
      expect(await eventsOf(d.ticket.id)).toBe(2);
      expect(await decisionsOf(d.ticket.id)).toBe(approve.status === 200 ? 1 : 0);
      const after = await getTicket(t, tok.alice, d.ticket.id);
      expect(stepOf(after, 'manager').status).toBe(approve.status === 200 ? 'approved' : 'active');
    }
  });
});

describe("concurrent approvals on an 'all' stage", () => {
  it('20 concurrent approvals by its 3 members give 3 successes, 3 decision rows, progress 3/3 and one event each', async () => {
    const d = await submit(t, tok.alice, 'contract', contract);
    const stepId = stepOf(d, 'countersign').id;
    const who: Array<'finance' | 'qa' | 'ops'> = Array.from({ length: 20 }, (_, i) => (['finance', 'qa', 'ops'] as const)[i % 3]);
    const results = await Promise.all(who.map((w) => decide(t, tok[w], d.ticket.id, stepId, 'approve')));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(17);
    // One success per member.
    expect(new Set(results.map((r, i) => (r.status === 200 ? who[i] : null)).filter(Boolean)).size).toBe(3);

    const rows = (await t.dataSource.query('SELECT actor_id, task_id FROM decisions WHERE step_id = $1', [stepId])) as Array<{
      actor_id: string;
      task_id: string;
    }>;
    expect(rows.map((r) => r.actor_id).sort()).toEqual([id.finance, id.qa, id.ops].sort());
    expect(new Set(rows.map((r) => r.task_id)).size).toBe(3);

    const after = await getTicket(t, tok.alice, d.ticket.id);
    expect(stepOf(after, 'countersign')).toMatchObject({ status: 'approved', progress: { approved: 3, required: 3, total: 3 } });
    expect(stepOf(after, 'director').status).toBe('active');
    const log = (await t.dataSource.query('SELECT seq, type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [
      d.ticket.id,
    ])) as Array<{
      seq: number;
      type: string;
    }>;
    expect(log).toEqual([
      { seq: 1, type: 'ticket.submitted' },
      { seq: 2, type: 'task.approved' },
      { seq: 3, type: 'task.approved' },
      { seq: 4, type: 'step.approved' },
    ]);
  });

  it('concurrent approve and reject in an all stage: the ticket ends in a state some serial order gives, with one row per success', async () => {
    for (let round = 0; round < 5; round++) {
      const d = await submit(t, tok.alice, 'contract', contract);
      const stepId = stepOf(d, 'countersign').id;
      const [a, b, c] = await Promise.all([
        decide(t, tok.finance, d.ticket.id, stepId, 'approve'),
        decide(t, tok.qa, d.ticket.id, stepId, 'reject', 'no'),
        decide(t, tok.ops, d.ticket.id, stepId, 'approve'),
      ]);
      const successes = [a, b, c].filter((r) => r.status === 200).length;
      expect(b.status).toBe(200); // a rejection can always land: nobody finishes the stage before qa decided
      expect([a, c].every((r) => r.status === 200 || r.status === 409)).toBe(true);
      const after = await getTicket(t, tok.alice, d.ticket.id);
      expect(after.ticket.status).toBe('rejected');
      expect(await decisionsOf(d.ticket.id)).toBe(successes);
      expect(await eventsOf(d.ticket.id)).toBe(1 + successes);
      const approvedTasks = tasksOf(after, 'countersign').filter(([, s]) => s === 'approved').length;
      expect(approvedTasks).toBe(successes - 1);
    }
  });
});

describe('bulk decisions across stage modes', () => {
  it('finance approves in bulk across all/any/sequential/quorum tickets: each succeeds or is refused on its own', async () => {
    const contractTicket = await submit(t, tok.alice, 'contract', contract);
    const purchaseTicket = await submit(t, tok.alice, 'purchase', purchase('sales', 100));
    await decide(t, tok.bob, purchaseTicket.ticket.id, stepOf(purchaseTicket, 'manager').id, 'approve');
    const seqTicket = await submit(t, tok.alice, 'seq3'); // qa first: finance must wait
    const quorumTicket = await submit(t, tok.alice, 'quorum3');
    await decide(t, tok.qa, quorumTicket.ticket.id, stepOf(quorumTicket, 'vote').id, 'approve'); // finance's vote reaches 2
    const decidedTicket = await submit(t, tok.alice, 'contract', contract);
    await decide(t, tok.finance, decidedTicket.ticket.id, stepOf(decidedTicket, 'countersign').id, 'approve');
    const notFinance = await submit(t, tok.alice, 'quick');

    const item = (d: TicketDetailDto, key: string) => ({ ticketId: d.ticket.id, stepId: stepOf(d, key).id });
    const items = [
      item(contractTicket, 'countersign'),
      item(purchaseTicket, 'payment'),
      item(seqTicket, 'seq'),
      item(quorumTicket, 'vote'),
      item(decidedTicket, 'countersign'),
      item(notFinance, 'manager'),
    ];
    const before = await Promise.all(items.map((i) => eventsOf(i.ticketId)));
    const res = await t.request('POST', '/api/tickets/bulk-decisions', tok.finance, { decision: 'approve', items });
    expect(res.status).toBe(200);
    const body = res.body as BulkDecisionResponse;
    expect(body).toMatchObject({ succeeded: 3, failed: 3 });
    expect(body.results.map((r) => (r.ok ? r.status : r.statusCode))).toEqual(['pending', 'approved', 409, 'approved', 409, 403]);
    const afterCounts = await Promise.all(items.map((i) => eventsOf(i.ticketId)));
    expect(afterCounts.map((n, i) => n - before[i])).toEqual([1, 1, 0, 1, 0, 0]);

    const c = await getTicket(t, tok.alice, contractTicket.ticket.id);
    expect(stepOf(c, 'countersign').progress).toMatchObject({ approved: 1, required: 3 });
    const p = await getTicket(t, tok.alice, purchaseTicket.ticket.id);
    expect(tasksOf(p, 'payment')).toEqual([
      ['finance', 'approved'],
      ['director', 'closed'],
    ]);
    const s = await getTicket(t, tok.alice, seqTicket.ticket.id);
    expect(tasksOf(s, 'seq')).toEqual([
      ['qa', 'active'],
      ['finance', 'waiting'],
      ['ops', 'waiting'],
    ]);
    const q = await getTicket(t, tok.alice, quorumTicket.ticket.id);
    expect(tasksOf(q, 'vote')).toEqual([
      ['finance', 'approved'],
      ['qa', 'approved'],
      ['ops', 'closed'],
    ]);
  });

  it('two approvers bulk-approving the same all-stage tickets at once both land, once each', async () => {
    const tickets = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(t, tok.carol, 'contract', contract, `bulk ${i}`)));
    const items = tickets.map((d) => ({ ticketId: d.ticket.id, stepId: stepOf(d, 'countersign').id }));
    const [a, b, again] = await Promise.all([
      t.request('POST', '/api/tickets/bulk-decisions', tok.finance, { decision: 'approve', items }),
      t.request('POST', '/api/tickets/bulk-decisions', tok.qa, { decision: 'approve', items }),
      t.request('POST', '/api/tickets/bulk-decisions', tok.finance, { decision: 'approve', items }),
    ]);
    expect(b.body).toMatchObject({ succeeded: 5, failed: 0 });
    // finance sent the same batch twice: each ticket is approved by finance exactly once.
    expect((a.body as BulkDecisionResponse).succeeded + (again.body as BulkDecisionResponse).succeeded).toBe(5);
    for (const d of tickets) {
      expect(await decisionsOf(d.ticket.id)).toBe(2);
      expect(await eventsOf(d.ticket.id)).toBe(3);
      const after = await getTicket(t, tok.carol, d.ticket.id);
      expect(stepOf(after, 'countersign').progress).toMatchObject({ approved: 2, required: 3 });
    }
  });
});
