/**
 * What each approval action means, end to end over REST against a real Postgres: stage
 * modes, branches, the engine's own rules, the people-facing actions, route preview and
 * the audit trail. Races are in approval-races.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutePreviewDto, TicketDetailDto, TicketSummaryDto } from '@signoff/contracts';
import {
  contract,
  count,
  decide,
  email,
  events,
  expenseFields,
  getTicket,
  publishTemplate,
  purchase,
  stage,
  statuses,
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
  await publishTemplate(t, 'seq3', [stage('seq', 'sequential', ['ops', 'finance', 'qa'])]);
  await publishTemplate(t, 'quorum3', [
    stage('vote', 'quorum', ['finance', 'qa', 'ops'], { quorum: 2 }),
    stage('sign', 'single', ['director']),
  ]);
  await publishTemplate(t, 'self-skip', [stage('team', 'all', ['alice', 'bob'])], { rules: { requesterIsApprover: 'skip' } });
  await publishTemplate(t, 'self-auto', [stage('team', 'all', ['alice', 'bob'])], { rules: { requesterIsApprover: 'auto_approve' } });
  await publishTemplate(t, 'self-only', [stage('self', 'single', ['alice']), stage('boss', 'single', ['bob'])]);
  await publishTemplate(t, 'quick', [stage('manager', 'single', ['bob'])]);
  await publishTemplate(t, 'no-comment', [stage('manager', 'single', ['bob'])], { rules: { rejectCommentRequired: false } });
  await publishTemplate(t, 'cc-start', [stage('manager', 'single', ['bob'])], { cc: { atStart: [email('carol')] } });
  await publishTemplate(t, 'self-done', [stage('self', 'single', ['alice'])], { cc: { atFinish: [email('carol')] } });
  await t.dataSource.query(`INSERT INTO users (email, name, role, active, updated_at) VALUES ($1, 'Gone Away', 'approver', false, now())`, [
    email('gone'),
  ]);
  await publishTemplate(t, 'orphan', [stage('nobody', 'single', ['gone'])]);
});
afterAll(() => t?.close());

const ok = (res: { status: number; body: unknown }, status = 200) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as TicketDetailDto;
};
const post = (path: string, token: string, body: unknown) => t.request('POST', path, token, body);

describe('stage modes', () => {
  it("contract 'all' stage needs all three approvals (1/3, 2/3), then the director's stage is active", async () => {
    const d = await submit(t, tok.alice, 'contract', contract);
    const step = stepOf(d, 'countersign');
    expect(tasksOf(d, 'countersign')).toEqual([
      ['finance', 'active'],
      ['qa', 'active'],
      ['ops', 'active'],
    ]);
    const first = ok(await decide(t, tok.qa, d.ticket.id, step.id, 'approve'));
    expect(stepOf(first, 'countersign')).toMatchObject({ status: 'active', progress: { approved: 1, required: 3, total: 3 } });
    const second = ok(await decide(t, tok.finance, d.ticket.id, step.id, 'approve'));
    expect(stepOf(second, 'countersign')).toMatchObject({ status: 'active', progress: { approved: 2, required: 3 } });
    expect(statuses(second)).toEqual([
      ['countersign', 'active'],
      ['director', 'waiting'],
    ]);
    const third = ok(await decide(t, tok.ops, d.ticket.id, step.id, 'approve'));
    expect(stepOf(third, 'countersign')).toMatchObject({ status: 'approved', progress: { approved: 3, required: 3 } });
    expect(statuses(third)).toEqual([
      ['countersign', 'approved'],
      ['director', 'active'],
    ]);
    const evts = await events(t, tok.alice, d.ticket.id);
    expect(evts.map((e) => e.type)).toEqual(['ticket.submitted', 'task.approved', 'task.approved', 'step.approved']);
  });

  it("one rejection in the contract 'all' stage rejects the ticket and skips the director", async () => {
    const d = await submit(t, tok.alice, 'contract', contract);
    const step = stepOf(d, 'countersign');
    ok(await decide(t, tok.finance, d.ticket.id, step.id, 'approve'));
    const after = ok(await decide(t, tok.qa, d.ticket.id, step.id, 'reject', 'QA found issues'));
    expect(after.ticket.status).toBe('rejected');
    expect(stepOf(after, 'countersign')).toMatchObject({ status: 'rejected', decision: 'reject', comment: 'QA found issues' });
    expect(tasksOf(after, 'countersign')).toEqual([
      ['finance', 'approved'],
      ['qa', 'rejected'],
      ['ops', 'closed'],
    ]);
    expect(stepOf(after, 'director')).toMatchObject({ status: 'skipped', skipReason: 'rejected' });
    expect((await decide(t, tok.ops, d.ticket.id, step.id, 'approve')).status).toBe(409);
  });

  it("purchase payment 'any' stage: the first approval approves it and closes the other approver's task", async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('sales', 100));
    ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve'));
    const payment = stepOf(d, 'payment');
    const after = ok(await decide(t, tok.director, d.ticket.id, payment.id, 'approve'));
    expect(after.ticket.status).toBe('approved');
    expect(tasksOf(after, 'payment')).toEqual([
      ['finance', 'closed'],
      ['director', 'approved'],
    ]);
    expect(stepOf(after, 'payment')).toMatchObject({ status: 'approved', decidedBy: { email: email('director') } });
    expect((await decide(t, tok.finance, d.ticket.id, payment.id, 'approve')).status).toBe(409);
  });

  it('sequential stage goes one after another, in the template’s order: the next approver gets 409 until the previous one approved', async () => {
    const d = await submit(t, tok.alice, 'seq3');
    const step = stepOf(d, 'seq');
    expect(tasksOf(d, 'seq')).toEqual([
      ['ops', 'active'],
      ['finance', 'waiting'],
      ['qa', 'waiting'],
    ]);
    const early = await decide(t, tok.finance, d.ticket.id, step.id, 'approve');
    expect(early).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
    expect(await count(t, 'decisions WHERE ticket_id = $1', [d.ticket.id])).toBe(0);
    expect(await count(t, 'ticket_events WHERE ticket_id = $1', [d.ticket.id])).toBe(1);
    expect(tasksOf(ok(await decide(t, tok.ops, d.ticket.id, step.id, 'approve')), 'seq')).toEqual([
      ['ops', 'approved'],
      ['finance', 'active'],
      ['qa', 'waiting'],
    ]);
    expect((await decide(t, tok.qa, d.ticket.id, step.id, 'approve')).status).toBe(409);
    ok(await decide(t, tok.finance, d.ticket.id, step.id, 'approve'));
    const done = ok(await decide(t, tok.qa, d.ticket.id, step.id, 'approve'));
    expect(done.ticket.status).toBe('approved');
    expect(stepOf(done, 'seq').progress).toMatchObject({ approved: 3, required: 3 });
  });

  it('quorum 2 of 3 approves exactly at the second approval and closes the third task', async () => {
    const d = await submit(t, tok.alice, 'quorum3');
    const step = stepOf(d, 'vote');
    expect(step).toMatchObject({ mode: 'quorum', quorum: 2, progress: { approved: 0, required: 2, total: 3 } });
    const one = ok(await decide(t, tok.ops, d.ticket.id, step.id, 'approve'));
    expect(stepOf(one, 'vote')).toMatchObject({ status: 'active', progress: { approved: 1, required: 2 } });
    const two = ok(await decide(t, tok.finance, d.ticket.id, step.id, 'approve'));
    expect(stepOf(two, 'vote')).toMatchObject({ status: 'approved', progress: { approved: 2, required: 2 } });
    expect(tasksOf(two, 'vote')).toEqual([
      ['finance', 'approved'],
      ['qa', 'closed'],
      ['ops', 'approved'],
    ]);
    expect(statuses(two)).toEqual([
      ['vote', 'approved'],
      ['sign', 'active'],
    ]);
    expect((await decide(t, tok.qa, d.ticket.id, step.id, 'approve')).status).toBe(409);
  });

  it('quorum 2 of 3 is rejected as soon as two rejections make 2 approvals unreachable', async () => {
    const d = await submit(t, tok.alice, 'quorum3');
    const step = stepOf(d, 'vote');
    const one = ok(await decide(t, tok.qa, d.ticket.id, step.id, 'reject', 'no'));
    expect(stepOf(one, 'vote').status).toBe('active');
    const two = ok(await decide(t, tok.ops, d.ticket.id, step.id, 'reject', 'no'));
    expect(two.ticket.status).toBe('rejected');
    expect(tasksOf(two, 'vote')).toEqual([
      ['finance', 'closed'],
      ['qa', 'rejected'],
      ['ops', 'rejected'],
    ]);
  });
});

describe('branches', () => {
  it('purchase for sales at 100 skips it-lead and budget-committee for their condition and logs condition_skipped for both', async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('sales', 100));
    expect(d.flow.steps.map((s) => [s.key, s.status, s.skipReason])).toEqual([
      ['manager', 'active', null],
      ['it-lead', 'skipped', 'condition'],
      ['budget-committee', 'skipped', 'condition'],
      ['payment', 'waiting', null],
    ]);
    const [submitted] = await events(t, tok.alice, d.ticket.id);
    expect(submitted.type).toBe('ticket.submitted');
    const skipped = submitted.notes.filter((n) => n.rule === 'condition_skipped');
    expect(skipped).toEqual([
      { rule: 'condition_skipped', stageKey: 'it-lead', user: null, detail: 'department == "IT"' },
      { rule: 'condition_skipped', stageKey: 'budget-committee', user: null, detail: 'amount > 5000' },
    ]);
  });

  it('purchase for IT at 6000 runs both it-lead and the budget committee, in order', async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('IT', 6000));
    expect(d.flow.steps.every((s) => s.skipReason === null)).toBe(true);
    const a = ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve'));
    expect(statuses(a)).toEqual([
      ['manager', 'approved'],
      ['it-lead', 'active'],
      ['budget-committee', 'waiting'],
      ['payment', 'waiting'],
    ]);
    const b = ok(await decide(t, tok.itlead, d.ticket.id, stepOf(d, 'it-lead').id, 'approve'));
    expect(statuses(b)).toEqual([
      ['manager', 'approved'],
      ['it-lead', 'approved'],
      ['budget-committee', 'active'],
      ['payment', 'waiting'],
    ]);
    expect(tasksOf(b, 'budget-committee').map(([who]) => who)).toEqual(['finance', 'director', 'ops']);
  });
});

describe('engine rules', () => {
  it('requester-is-approver "skip" leaves the requester out of the stage and logs requester_skipped', async () => {
    const d = await submit(t, tok.alice, 'self-skip');
    expect(tasksOf(d, 'team')).toEqual([['bob', 'active']]);
    const [submitted] = await events(t, tok.alice, d.ticket.id);
    expect(submitted.notes).toContainEqual(
      expect.objectContaining({ rule: 'requester_skipped', stageKey: 'team', user: expect.objectContaining({ email: email('alice') }) }),
    );
    expect(d.actionableStepIds).toEqual([]);
  });

  it('requester-is-approver "auto_approve" approves the requester’s own task (auto: requester) and waits for the others', async () => {
    const d = await submit(t, tok.alice, 'self-auto');
    const team = stepOf(d, 'team');
    expect(team.tasks.map((k) => [k.assignee.email, k.status, k.auto])).toEqual([
      [email('alice'), 'approved', 'requester'],
      [email('bob'), 'active', null],
    ]);
    expect(team.progress).toMatchObject({ approved: 1, required: 2 });
    const [submitted] = await events(t, tok.alice, d.ticket.id);
    expect(submitted.notes).toContainEqual(expect.objectContaining({ rule: 'requester_auto_approved', stageKey: 'team' }));
    expect((await decide(t, tok.alice, d.ticket.id, team.id, 'approve')).status).toBe(409);
    expect(ok(await decide(t, tok.bob, d.ticket.id, team.id, 'approve')).ticket.status).toBe('approved');
  });

  it('a stage whose only approver is the requester is skipped with skipReason requester and the next one runs', async () => {
    const d = await submit(t, tok.alice, 'self-only');
    expect(d.flow.steps.map((s) => [s.key, s.status, s.skipReason])).toEqual([
      ['self', 'skipped', 'requester'],
      ['boss', 'active', null],
    ]);
  });

  it('dedupe: finance and director approved in the budget committee, so their payment tasks are auto-approved (dedupe) and noted', async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('sales', 8000));
    ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve'));
    const committee = stepOf(d, 'budget-committee').id;
    ok(await decide(t, tok.finance, d.ticket.id, committee, 'approve'));
    ok(await decide(t, tok.director, d.ticket.id, committee, 'approve'));
    const done = ok(await decide(t, tok.ops, d.ticket.id, committee, 'approve'));
    expect(done.ticket.status).toBe('approved');
    expect(stepOf(done, 'payment').tasks.map((k) => [k.assignee.email, k.status, k.auto])).toEqual([
      [email('finance'), 'approved', 'dedupe'],
      [email('director'), 'approved', 'dedupe'],
    ]);
    const last = (await events(t, tok.alice, d.ticket.id)).at(-1)!;
    expect(last.actor?.email).toBe(email('ops'));
    expect(last.notes.filter((n) => n.rule === 'dedupe_auto_approved').map((n) => [n.stageKey, n.user?.email])).toEqual([
      ['payment', email('finance')],
      ['payment', email('director')],
    ]);
    expect(await count(t, 'decisions WHERE ticket_id = $1', [d.ticket.id])).toBe(4);
  });

  it('falls back to the admins when the stage’s only approver is disabled, so the ticket is never left with nobody', async () => {
    const d = await submit(t, tok.alice, 'orphan');
    const nobody = stepOf(d, 'nobody');
    expect(nobody.status).toBe('active');
    expect(nobody.approvers.map((a) => a.email)).toEqual([email('admin')]);
    const [submitted] = await events(t, tok.alice, d.ticket.id);
    expect(submitted.notes).toContainEqual({ rule: 'fallback_used', stageKey: 'nobody', user: null, detail: 'admins' });
    expect(ok(await decide(t, tok.admin, d.ticket.id, nobody.id, 'approve')).ticket.status).toBe('approved');
  });
});

describe('returning and resubmitting', () => {
  it('return to requester makes the ticket returned; a bad edited field is refused with 400 naming it and changes nothing', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields, 'Hotel');
    const manager = stepOf(d, 'manager');
    expect((await post(`/api/tickets/${d.ticket.id}/return`, tok.bob, { stepId: manager.id, to: 'requester' })).status).toBe(400);
    const returned = ok(
      await post(`/api/tickets/${d.ticket.id}/return`, tok.bob, { stepId: manager.id, to: 'requester', comment: 'add receipt' }),
    );
    expect(returned.ticket.status).toBe('returned');
    expect(stepOf(returned, 'manager')).toMatchObject({ status: 'returned', comment: 'add receipt' });
    expect((await decide(t, tok.bob, d.ticket.id, manager.id, 'approve')).status).toBe(409);

    const bad = await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.alice, { fields: { ...expenseFields, amount: -3 } });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('fields.amount') } });
    expect((await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.bob, {})).status).toBe(403);
    const unchanged = await getTicket(t, tok.alice, d.ticket.id);
    expect(unchanged.ticket).toMatchObject({ status: 'returned', seq: returned.seq, fields: expenseFields, title: 'Hotel' });
  });

  it('the requester resubmits with edited fields and the ticket runs again from the first stage to the end', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields, 'Hotel');
    const manager = stepOf(d, 'manager');
    ok(await post(`/api/tickets/${d.ticket.id}/return`, tok.bob, { stepId: manager.id, to: 'requester', comment: 'too much' }));
    const again = ok(
      await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.alice, {
        title: 'Hotel (cheaper)',
        fields: { ...expenseFields, amount: 80 },
        comment: 'fixed',
      }),
    );
    expect(again.ticket).toMatchObject({ status: 'pending', title: 'Hotel (cheaper)', fields: { amount: 80 } });
    expect(statuses(again)).toEqual([
      ['manager', 'active'],
      ['finance', 'waiting'],
    ]);
    expect(stepOf(again, 'manager')).toMatchObject({ round: 1, approvers: [expect.objectContaining({ email: email('bob') })] });
    expect(tasksOf(again, 'manager')).toEqual([['bob', 'active']]);
    const [, , resubmitted] = await events(t, tok.alice, d.ticket.id);
    expect(resubmitted).toMatchObject({ type: 'ticket.resubmitted', comment: 'fixed', actor: { email: email('alice') } });

    const a = ok(await decide(t, tok.bob, d.ticket.id, manager.id, 'approve'));
    expect(statuses(a)).toEqual([
      ['manager', 'approved'],
      ['finance', 'active'],
    ]);
    expect(ok(await decide(t, tok.finance, d.ticket.id, stepOf(d, 'finance').id, 'approve')).ticket.status).toBe('approved');
  });

  it('resubmitting with edited fields re-evaluates branch conditions (a larger amount brings in the budget committee)', async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('sales', 100));
    ok(
      await post(`/api/tickets/${d.ticket.id}/return`, tok.bob, { stepId: stepOf(d, 'manager').id, to: 'requester', comment: 'details?' }),
    );
    const again = ok(await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.alice, { fields: purchase('sales', 9000) }));
    expect(again.flow.steps.map((s) => [s.key, s.status, s.skipReason])).toEqual([
      ['manager', 'active', null],
      ['it-lead', 'skipped', 'condition'],
      ['budget-committee', 'waiting', null],
      ['payment', 'waiting', null],
    ]);
    const a = ok(await decide(t, tok.bob, d.ticket.id, stepOf(again, 'manager').id, 'approve'));
    expect(stepOf(a, 'budget-committee').status).toBe('active');
    expect(tasksOf(a, 'budget-committee').map(([who]) => who)).toEqual(['finance', 'director', 'ops']);
  });

  it('return to an earlier approved stage runs that stage again (new round), then the returning stage, to the end', async () => {
    const d = await submit(t, tok.alice, 'contract', contract);
    const cs = stepOf(d, 'countersign').id;
    const dir = stepOf(d, 'director').id;
    for (const who of ['finance', 'qa', 'ops'] as const) ok(await decide(t, tok[who], d.ticket.id, cs, 'approve'));
    expect((await post(`/api/tickets/${d.ticket.id}/return`, tok.director, { stepId: dir, to: dir, comment: 'x' })).status).toBe(400);
    const back = ok(await post(`/api/tickets/${d.ticket.id}/return`, tok.director, { stepId: dir, to: cs, comment: 'recheck the value' }));
    expect(back.ticket.status).toBe('pending');
    expect(statuses(back)).toEqual([
      ['countersign', 'active'],
      ['director', 'returned'],
    ]);
    expect(stepOf(back, 'countersign')).toMatchObject({ round: 1, progress: { approved: 0, required: 3 } });
    expect(tasksOf(back, 'countersign')).toEqual([
      ['finance', 'active'],
      ['qa', 'active'],
      ['ops', 'active'],
    ]);
    const [event] = (await events(t, tok.alice, d.ticket.id)).slice(-1);
    expect(event).toMatchObject({ type: 'step.returned', comment: 'recheck the value', actor: { email: email('director') } });

    for (const who of ['finance', 'qa', 'ops'] as const) ok(await decide(t, tok[who], d.ticket.id, cs, 'approve'));
    const mid = await getTicket(t, tok.director, d.ticket.id);
    expect(statuses(mid)).toEqual([
      ['countersign', 'approved'],
      ['director', 'active'],
    ]);
    expect(tasksOf(mid, 'director')).toEqual([['director', 'active']]);
    expect(ok(await decide(t, tok.director, d.ticket.id, dir, 'approve')).ticket.status).toBe('approved');
  });
});

describe('withdrawing', () => {
  it('the requester withdraws a pending ticket: open tasks close, unfinished stages are skipped (withdrawn)', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const w = ok(await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.alice, { comment: 'not needed' }));
    expect(w.ticket.status).toBe('withdrawn');
    expect(w.flow.steps.map((s) => [s.status, s.skipReason])).toEqual([
      ['skipped', 'withdrawn'],
      ['skipped', 'withdrawn'],
    ]);
    expect(tasksOf(w, 'manager')).toEqual([['bob', 'closed']]);
    expect((await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve')).status).toBe(409);
    const listed = (await t.request('GET', '/api/tickets?box=todo', tok.bob)).body as TicketSummaryDto[];
    expect(listed.map((s) => s.ticket.id)).not.toContain(d.ticket.id);
  });

  it('only the requester may withdraw: the approver and a stranger get 403 and nothing is written', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    expect((await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.bob, {})).status).toBe(403);
    expect((await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.qa, {})).status).toBe(403);
    expect((await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.admin, {})).status).toBe(403);
    expect(await count(t, 'ticket_events WHERE ticket_id = $1', [d.ticket.id])).toBe(1);
    expect((await getTicket(t, tok.alice, d.ticket.id)).ticket.status).toBe('pending');
  });

  it('a finished ticket cannot be withdrawn (409)', async () => {
    const d = await submit(t, tok.alice, 'quick');
    ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve'));
    expect((await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.alice, {})).status).toBe(409);
    const rejected = await submit(t, tok.alice, 'quick');
    ok(await decide(t, tok.bob, rejected.ticket.id, stepOf(rejected, 'manager').id, 'reject', 'no'));
    expect((await post(`/api/tickets/${rejected.ticket.id}/withdraw`, tok.alice, {})).status).toBe(409);
    const withdrawn = await submit(t, tok.alice, 'quick');
    ok(await post(`/api/tickets/${withdrawn.ticket.id}/withdraw`, tok.alice, {}));
    expect((await post(`/api/tickets/${withdrawn.ticket.id}/withdraw`, tok.alice, {})).status).toBe(409);
  });

  it('a returned ticket can be withdrawn by its requester', async () => {
    const d = await submit(t, tok.alice, 'quick');
    ok(await post(`/api/tickets/${d.ticket.id}/return`, tok.bob, { stepId: stepOf(d, 'manager').id, to: 'requester', comment: 'why?' }));
    expect(ok(await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.alice, {})).ticket.status).toBe('withdrawn');
    expect((await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.alice, {})).status).toBe(409);
  });
});

describe('transferring', () => {
  it('the new assignee decides on behalf of the old one; the event is task.transferred; the old one can view but not decide', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const manager = stepOf(d, 'manager');
    const moved = ok(
      await post(`/api/tickets/${d.ticket.id}/transfer`, tok.bob, { stepId: manager.id, toUserId: id.director, comment: 'on leave' }),
    );
    expect(stepOf(moved, 'manager').tasks.map((k) => [k.assignee.email, k.status, k.onBehalfOf?.email ?? null])).toEqual([
      [email('bob'), 'transferred', null],
      [email('director'), 'active', email('bob')],
    ]);
    const evts = await events(t, tok.alice, d.ticket.id);
    expect(evts.at(-1)).toMatchObject({ type: 'task.transferred', actor: { email: email('bob') }, comment: 'on leave' });

    expect((await t.request('GET', `/api/tickets/${d.ticket.id}`, tok.bob)).status).toBe(200);
    expect([403, 409]).toContain((await decide(t, tok.bob, d.ticket.id, manager.id, 'approve')).status);
    expect([403, 409]).toContain(
      (await post(`/api/tickets/${d.ticket.id}/transfer`, tok.bob, { stepId: manager.id, toUserId: id.qa })).status,
    );
    const directorView = await getTicket(t, tok.director, d.ticket.id);
    expect(directorView.actionableStepIds).toEqual([manager.id]);
    const todo = (await t.request('GET', '/api/tickets?box=todo', tok.director)).body as TicketSummaryDto[];
    expect(todo.map((s) => s.ticket.id)).toContain(d.ticket.id);

    const decided = ok(await decide(t, tok.director, d.ticket.id, manager.id, 'approve', 'ok for bob'));
    expect(statuses(decided)).toEqual([
      ['manager', 'approved'],
      ['finance', 'active'],
    ]);
    expect((await events(t, tok.alice, d.ticket.id)).at(-1)).toMatchObject({
      type: 'step.approved',
      actor: { email: email('director') },
      onBehalfOf: { email: email('bob') },
    });
  });

  it('transfer to oneself or to someone already on the step is refused with 400; to a stranger to the step by a non-holder, 403', async () => {
    const d = await submit(t, tok.alice, 'contract', contract);
    const cs = stepOf(d, 'countersign').id;
    expect((await post(`/api/tickets/${d.ticket.id}/transfer`, tok.qa, { stepId: cs, toUserId: id.qa })).status).toBe(400);
    expect((await post(`/api/tickets/${d.ticket.id}/transfer`, tok.qa, { stepId: cs, toUserId: id.ops })).status).toBe(400);
    expect((await post(`/api/tickets/${d.ticket.id}/transfer`, tok.bob, { stepId: cs, toUserId: id.director })).status).toBe(403);
    expect(await count(t, 'ticket_events WHERE ticket_id = $1', [d.ticket.id])).toBe(1);
  });
});

describe('adding a signer', () => {
  it('a signer added before goes first: the adder waits (409) until they approved', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const manager = stepOf(d, 'manager').id;
    const added = ok(
      await post(`/api/tickets/${d.ticket.id}/signers`, tok.bob, { stepId: manager, userId: id.director, position: 'before' }),
    );
    expect(stepOf(added, 'manager').tasks.map((k) => [k.assignee.email, k.status, k.addedBy?.email ?? null, k.order])).toEqual([
      [email('director'), 'active', email('bob'), 0],
      [email('bob'), 'waiting', null, 1],
    ]);
    expect((await events(t, tok.alice, d.ticket.id)).at(-1)).toMatchObject({ type: 'signer.added', actor: { email: email('bob') } });
    expect((await decide(t, tok.bob, d.ticket.id, manager, 'approve')).status).toBe(409);
    const first = ok(await decide(t, tok.director, d.ticket.id, manager, 'approve'));
    expect(tasksOf(first, 'manager')).toEqual([
      ['director', 'approved'],
      ['bob', 'active'],
    ]);
    expect(stepOf(first, 'manager').status).toBe('active');
    expect(statuses(ok(await decide(t, tok.bob, d.ticket.id, manager, 'approve')))).toEqual([
      ['manager', 'approved'],
      ['finance', 'active'],
    ]);
  });

  it('a signer added after decides once the adder approved, and the stage waits for them', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const manager = stepOf(d, 'manager').id;
    const added = ok(await post(`/api/tickets/${d.ticket.id}/signers`, tok.bob, { stepId: manager, userId: id.qa, position: 'after' }));
    expect(tasksOf(added, 'manager')).toEqual([
      ['bob', 'active'],
      ['qa', 'waiting'],
    ]);
    expect((await decide(t, tok.qa, d.ticket.id, manager, 'approve')).status).toBe(409);
    const mid = ok(await decide(t, tok.bob, d.ticket.id, manager, 'approve'));
    expect(stepOf(mid, 'manager').status).toBe('active');
    expect(tasksOf(mid, 'manager')).toEqual([
      ['bob', 'approved'],
      ['qa', 'active'],
    ]);
    expect(statuses(ok(await decide(t, tok.qa, d.ticket.id, manager, 'approve')))).toEqual([
      ['manager', 'approved'],
      ['finance', 'active'],
    ]);
  });
});

describe('rejecting', () => {
  it('reject without a comment is refused with 400 and writes nothing', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const manager = stepOf(d, 'manager').id;
    for (const comment of [undefined, '', '   ']) {
      const res = await decide(t, tok.bob, d.ticket.id, manager, 'reject', comment);
      expect(res).toMatchObject({ status: 400, body: { message: expect.stringContaining('comment') } });
    }
    expect(await count(t, 'decisions WHERE ticket_id = $1', [d.ticket.id])).toBe(0);
    expect(await count(t, 'ticket_events WHERE ticket_id = $1', [d.ticket.id])).toBe(1);
    const after = await getTicket(t, tok.alice, d.ticket.id);
    expect(after.seq).toBe(1);
    expect(statuses(after)).toEqual(statuses(d));
  });

  it('reject without a comment is accepted when the template says rejectCommentRequired: false', async () => {
    const d = await submit(t, tok.alice, 'no-comment');
    expect(ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'reject')).ticket.status).toBe('rejected');
  });
});

describe('delegation', () => {
  const today = () => new Date().toISOString().slice(0, 10);

  it('bob delegating to the director today sends a new expense’s manager task to the director on behalf of bob', async () => {
    ok(await t.request('PUT', '/api/me/delegation', tok.bob, { delegateId: id.director, from: today(), to: today() }));
    try {
      const d = await submit(t, tok.carol, 'expense', expenseFields);
      const manager = stepOf(d, 'manager');
      expect(manager.tasks.map((k) => [k.assignee.email, k.status, k.onBehalfOf?.email ?? null])).toEqual([
        [email('director'), 'active', email('bob')],
      ]);
      const [submitted] = await events(t, tok.carol, d.ticket.id);
      expect(submitted.notes).toContainEqual({
        rule: 'delegated',
        stageKey: 'manager',
        user: expect.objectContaining({ email: email('director') }),
        detail: 'on behalf of Li Wei',
      });
      expect((await decide(t, tok.bob, d.ticket.id, manager.id, 'approve')).status).toBe(403);
      ok(await decide(t, tok.director, d.ticket.id, manager.id, 'approve'));
      expect((await events(t, tok.carol, d.ticket.id)).at(-1)).toMatchObject({
        actor: { email: email('director') },
        onBehalfOf: { email: email('bob') },
      });
      expect((await t.request('GET', `/api/tickets/${d.ticket.id}`, tok.bob)).status).toBe(200);
    } finally {
      await t.request('DELETE', '/api/me/delegation', tok.bob);
    }
  });

  it('delegation marks only the tasks it substituted: the delegate’s own tasks in other stages are not "on behalf of"', async () => {
    ok(await t.request('PUT', '/api/me/delegation', tok.bob, { delegateId: id.director, from: today(), to: today() }));
    try {
      const d = await submit(t, tok.alice, 'purchase', purchase('sales', 7000));
      const behalf = (key: string) =>
        stepOf(d, key).tasks.map((k) => [k.assignee.email.split('@')[0], k.onBehalfOf?.email.split('@')[0] ?? null]);
      expect(behalf('manager')).toEqual([['director', 'bob']]);
      expect(behalf('budget-committee')).toEqual([
        ['finance', null],
        ['director', null],
        ['ops', null],
      ]);
      expect(behalf('payment')).toEqual([
        ['finance', null],
        ['director', null],
      ]);
      const [submitted] = await events(t, tok.alice, d.ticket.id);
      expect(submitted.notes.filter((n) => n.rule === 'delegated').map((n) => n.stageKey)).toEqual(['manager']);
    } finally {
      await t.request('DELETE', '/api/me/delegation', tok.bob);
    }
  });

  it('a delegation that is not in effect today changes nothing', async () => {
    ok(await t.request('PUT', '/api/me/delegation', tok.bob, { delegateId: id.director, from: '2001-01-01', to: '2001-01-02' }));
    try {
      const d = await submit(t, tok.carol, 'expense', expenseFields);
      expect(stepOf(d, 'manager').tasks.map((k) => [k.assignee.email, k.onBehalfOf])).toEqual([[email('bob'), null]]);
    } finally {
      await t.request('DELETE', '/api/me/delegation', tok.bob);
    }
  });
});

describe('copies (抄送)', () => {
  it('a finished purchase is copied to the admin, who sees it in box=cc', async () => {
    const d = await submit(t, tok.alice, 'purchase', purchase('sales', 50));
    const before = (await t.request('GET', '/api/tickets?box=cc', tok.admin)).body as TicketSummaryDto[];
    expect(before.map((s) => s.ticket.id)).not.toContain(d.ticket.id);
    ok(await decide(t, tok.bob, d.ticket.id, stepOf(d, 'manager').id, 'approve'));
    ok(await decide(t, tok.finance, d.ticket.id, stepOf(d, 'payment').id, 'approve'));
    const cc = (await t.request('GET', '/api/tickets?box=cc', tok.admin)).body as TicketSummaryDto[];
    expect(cc.find((s) => s.ticket.id === d.ticket.id)?.ticket.status).toBe('approved');
  });

  it('a ticket finished at submission (its only stage skipped) is copied to its atFinish users', async () => {
    const d = await submit(t, tok.alice, 'self-done');
    expect(d.ticket.status).toBe('approved');
    const cc = (await t.request('GET', '/api/tickets?box=cc', tok.carol)).body as TicketSummaryDto[];
    expect(cc.map((s) => s.ticket.id)).toContain(d.ticket.id);
  });

  it('a user copied at start sees the ticket in box=cc and may open it; others not on it may not', async () => {
    const d = await submit(t, tok.alice, 'cc-start');
    const cc = (await t.request('GET', '/api/tickets?box=cc', tok.carol)).body as TicketSummaryDto[];
    expect(cc.map((s) => s.ticket.id)).toContain(d.ticket.id);
    expect((await t.request('GET', `/api/tickets/${d.ticket.id}`, tok.carol)).status).toBe(200);
    expect((await t.request('GET', `/api/tickets/${d.ticket.id}`, tok.qa)).status).toBe(403);
    expect((await decide(t, tok.carol, d.ticket.id, stepOf(d, 'manager').id, 'approve')).status).toBe(403);
  });
});

describe('route preview', () => {
  const shape = (flow: RoutePreviewDto['flow']) =>
    flow.steps.map((s) => ({
      key: s.key,
      status: s.status,
      skipReason: s.skipReason,
      mode: s.mode,
      tasks: s.tasks.map((k) => [k.assignee.email, k.status, k.auto, k.onBehalfOf?.email ?? null]),
    }));

  it.each([
    ['purchase', purchase('IT', 6000)],
    ['purchase', purchase('sales', 100)],
    ['contract', contract],
    ['self-auto', {}],
    ['orphan', {}],
  ])('%s preview shows the same stages, assignees and skips as the real submission then gets (%j)', async (key, fields) => {
    const preview = await post(`/api/templates/${key}/preview`, tok.alice, { fields });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const body = preview.body as RoutePreviewDto;
    const real = await submit(t, tok.alice, key, fields);
    expect(body.status).toBe(real.ticket.status);
    expect(shape(body.flow)).toEqual(shape(real.flow));
    const [submitted] = await events(t, tok.alice, real.ticket.id);
    expect(body.notes).toEqual(submitted.notes);
  });

  it('preview writes nothing', async () => {
    const tables = ['tickets', 'ticket_steps', 'ticket_tasks', 'ticket_events', 'decisions', 'ticket_cc'];
    const before = await Promise.all(tables.map((tb) => count(t, tb)));
    ok(await post('/api/templates/purchase/preview', tok.alice, { fields: purchase('IT', 9000) }));
    ok(await post('/api/templates/cc-start/preview', tok.alice, { fields: {} }));
    expect(await Promise.all(tables.map((tb) => count(t, tb)))).toEqual(before);
  });

  it('preview with bad fields is refused with 400 naming each field', async () => {
    const before = await count(t, 'tickets');
    const res = await post('/api/templates/purchase/preview', tok.alice, { fields: { item: 'x', amount: 0, department: 'moon' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('fields.amount');
    expect(res.body.message).toContain('fields.department');
    expect(await count(t, 'tickets')).toBe(before);
  });
});

describe('audit trail', () => {
  it('every action’s event names its actor, the statuses before it and its comment, with seq increasing by one', async () => {
    const d = await submit(t, tok.alice, 'expense', expenseFields);
    const manager = stepOf(d, 'manager').id;
    const finance = stepOf(d, 'finance').id;
    ok(
      await post(`/api/tickets/${d.ticket.id}/signers`, tok.bob, { stepId: manager, userId: id.qa, position: 'after', comment: 'qa too' }),
    );
    ok(await decide(t, tok.bob, d.ticket.id, manager, 'approve', 'fine by me'));
    ok(await post(`/api/tickets/${d.ticket.id}/transfer`, tok.qa, { stepId: manager, toUserId: id.ops, comment: 'ops knows' }));
    ok(await decide(t, tok.ops, d.ticket.id, manager, 'approve', 'ok'));
    ok(await post(`/api/tickets/${d.ticket.id}/return`, tok.finance, { stepId: finance, to: 'requester', comment: 'receipt?' }));
    ok(await post(`/api/tickets/${d.ticket.id}/resubmit`, tok.alice, { comment: 'attached' }));
    ok(await post(`/api/tickets/${d.ticket.id}/withdraw`, tok.alice, { comment: 'never mind' }));

    const evts = await events(t, tok.alice, d.ticket.id);
    expect(evts.map((e) => e.seq)).toEqual(evts.map((_, i) => i + 1));
    expect(evts.map((e) => [e.type, e.actor?.email.split('@')[0], e.comment])).toEqual([
      ['ticket.submitted', 'alice', null],
      ['signer.added', 'bob', 'qa too'],
      ['task.approved', 'bob', 'fine by me'],
      ['task.transferred', 'qa', 'ops knows'],
      ['step.approved', 'ops', 'ok'],
      ['ticket.returned', 'finance', 'receipt?'],
      ['ticket.resubmitted', 'alice', 'attached'],
      ['ticket.withdrawn', 'alice', 'never mind'],
    ]);
    expect(evts[0].before).toBeNull();
    // Each event's `before` is the state the previous event left.
    for (let i = 1; i < evts.length; i++) {
      const previous = evts[i - 1];
      expect(evts[i].before, evts[i].type).toEqual({
        status: previous.ticket.status,
        steps: previous.flow.steps.map((s) => ({ id: s.id, status: s.status })),
      });
    }
    expect(evts[4].onBehalfOf?.email).toBe(email('qa'));
    expect(evts.at(-1)!.ticket.status).toBe('withdrawn');
    const rows = (await t.dataSource.query('SELECT seq, type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [
      d.ticket.id,
    ])) as Array<{
      seq: number;
      type: string;
    }>;
    expect(rows.map((r) => r.type)).toEqual(evts.map((e) => e.type));
  });
});
