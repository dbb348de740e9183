import { describe, expect, it } from 'vitest';
import type { ActionResult, ApprovalFlow, ApprovalMode, ApprovalTransition } from './approval-types';
import { planFlow } from './flow-planning';
import { decideTask } from './task-decisions';
import { addSigner, transferTask } from './task-handoffs';
import { resubmit, returnTicket, withdraw } from './ticket-returns';

const at = '2026-11-22T10:32:00.000Z';
function start(stages: Array<[ApprovalMode, string[]]>) {
  const result = planFlow(
    { fields: [], stages: stages.map(([mode], i) => ({ key: `s${i}`, name: { en: '', zh: '' }, mode })) },
    {},
    Object.fromEntries(stages.map(([, approverIds], i) => [`s${i}`, { stepId: `s${i}`, approverIds }])),
    { requesterId: 'req', adminIds: ['admin'], at },
  );
  if (!result.ok) throw new Error(result.error);
  return result.value.flow;
}
const ok = (result: ActionResult<ApprovalTransition>) => {
  if (!result.ok) throw new Error(result.refusal);
  return result.value;
};
const approve = (flow: ApprovalFlow, stepId: string, actorId: string) =>
  ok(decideTask(flow, { stepId, actorId, decision: 'approve', comment: null, at })).flow;
const tasksOf = (flow: ApprovalFlow, stepId: string) =>
  flow.steps.find((s) => s.id === stepId)!.tasks.map((t) => `${t.assigneeId}:${t.status}`);

describe('reject', () => {
  it('needs a comment unless the template says otherwise', () => {
    const flow = start([['single', ['a']]]);
    expect(decideTask(flow, { stepId: 's0', actorId: 'a', decision: 'reject', comment: '  ', at })).toEqual({
      ok: false,
      refusal: 'comment_required',
    });
    const relaxed = { ...flow, policy: { ...flow.policy, rejectCommentRequired: false } };
    expect(ok(decideTask(relaxed, { stepId: 's0', actorId: 'a', decision: 'reject', comment: null, at })).flow.status).toBe('rejected');
  });

  it('checks who may act before the comment', () => {
    expect(decideTask(start([['single', ['a']]]), { stepId: 's0', actorId: 'z', decision: 'reject', comment: null, at })).toEqual({
      ok: false,
      refusal: 'not_approver',
    });
  });
});

describe('return (退回)', () => {
  it('to the requester: the ticket is returned and only the requester can move it on', () => {
    const flow = approve(
      start([
        ['single', ['a']],
        ['all', ['b', 'c']],
      ]),
      's0',
      'a',
    );
    const t = ok(returnTicket(flow, { stepId: 's1', actorId: 'b', to: 'requester', comment: 'receipt missing', at }));
    expect(t.flow.status).toBe('returned');
    expect(t.eventType).toBe('ticket.returned');
    expect(t.flow.steps[1]).toMatchObject({ status: 'returned', decidedById: 'b', comment: 'receipt missing' });
    expect(tasksOf(t.flow, 's1')).toEqual(['b:returned', 'c:closed']);
    expect(t.inboxChangedFor.sort()).toEqual(['b', 'c', 'req']);
    expect(decideTask(t.flow, { stepId: 's1', actorId: 'c', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'ticket_returned',
    });
    expect(resubmit(t.flow, { actorId: 'b', comment: null, at })).toEqual({ ok: false, refusal: 'not_requester' });
  });

  it('to an earlier stage: that stage runs again, later ones wait, the returning one shows returned', () => {
    let flow = start([
      ['single', ['a']],
      ['single', ['b']],
      ['single', ['c']],
      ['single', ['d']],
    ]);
    flow = approve(approve(flow, 's0', 'a'), 's1', 'b');
    const t = ok(returnTicket(flow, { stepId: 's2', actorId: 'c', to: { stepId: 's0' }, comment: 'wrong cost centre', at }));
    expect(t.eventType).toBe('step.returned');
    expect(t.flow.status).toBe('pending');
    expect(t.flow.steps.map((s) => s.status)).toEqual(['active', 'waiting', 'returned', 'waiting']);
    expect(t.flow.steps[0].round).toBe(1);
    expect(t.inboxChangedFor.sort()).toEqual(['a', 'c']);
    flow = approve(approve(t.flow, 's0', 'a'), 's1', 'b');
    expect(flow.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'active', 'waiting']);
    expect(tasksOf(flow, 's2')).toEqual(['c:active']);
  });

  it('refuses a target that is not an earlier approved stage', () => {
    const flow = approve(
      start([
        ['single', ['a']],
        ['single', ['b']],
        ['single', ['c']],
      ]),
      's0',
      'a',
    );
    for (const stepId of ['s1', 's2', 'nope']) {
      expect(returnTicket(flow, { stepId: 's1', actorId: 'b', to: { stepId }, comment: 'x', at })).toEqual({
        ok: false,
        refusal: 'invalid_return_target',
      });
    }
  });
});

describe('resubmit', () => {
  it('starts a returned ticket over from the first stage', () => {
    const flow = approve(
      start([
        ['single', ['a']],
        ['single', ['b']],
      ]),
      's0',
      'a',
    );
    const returned = ok(returnTicket(flow, { stepId: 's1', actorId: 'b', to: 'requester', comment: 'x', at })).flow;
    const t = ok(resubmit(returned, { actorId: 'req', comment: null, at }));
    expect(t.eventType).toBe('ticket.resubmitted');
    expect(t.flow.status).toBe('pending');
    expect(t.flow.steps.map((s) => s.status)).toEqual(['active', 'waiting']);
    expect(t.inboxChangedFor.sort()).toEqual(['a', 'req']);
  });

  it('is refused for a ticket that was not returned', () => {
    expect(resubmit(start([['single', ['a']]]), { actorId: 'req', comment: null, at })).toEqual({ ok: false, refusal: 'not_returned' });
  });
});

describe('withdraw (撤回)', () => {
  it('closes the open tasks and skips what did not run', () => {
    const flow = approve(
      start([
        ['single', ['a']],
        ['all', ['b', 'c']],
        ['single', ['d']],
      ]),
      's0',
      'a',
    );
    const t = ok(withdraw(flow, { actorId: 'req', comment: null, at }));
    expect(t.flow.status).toBe('withdrawn');
    expect(t.eventType).toBe('ticket.withdrawn');
    expect(t.flow.steps.map((s) => s.status)).toEqual(['approved', 'skipped', 'skipped']);
    expect(tasksOf(t.flow, 's1')).toEqual(['b:closed', 'c:closed']);
    expect(t.inboxChangedFor.sort()).toEqual(['b', 'c']);
  });

  it('is only for the requester, and only while unfinished', () => {
    const flow = start([['single', ['a']]]);
    expect(withdraw(flow, { actorId: 'a', comment: null, at })).toEqual({ ok: false, refusal: 'not_requester' });
    const done = approve(flow, 's0', 'a');
    expect(withdraw(done, { actorId: 'req', comment: null, at })).toEqual({ ok: false, refusal: 'ticket_closed' });
  });
});

describe('transfer (转交)', () => {
  it('hands the task to another user in the same seat', () => {
    const flow = start([['all', ['a', 'b']]]);
    const t = ok(transferTask(flow, { stepId: 's0', actorId: 'a', toUserId: 'x', comment: 'on leave', at }));
    expect(t.eventType).toBe('task.transferred');
    expect(tasksOf(t.flow, 's0')).toEqual(['a:transferred', 'x:active', 'b:active']);
    expect(t.flow.steps[0].tasks[1]).toMatchObject({ onBehalfOf: 'a', slot: 0 });
    expect(t.flow.steps[0].approverIds).toEqual(['x', 'b']);
    expect(t.inboxChangedFor.sort()).toEqual(['a', 'x']);
    expect(decideTask(t.flow, { stepId: 's0', actorId: 'a', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'not_approver',
    });
    const done = approve(approve(t.flow, 's0', 'x'), 's0', 'b');
    expect(done.status).toBe('approved');
  });

  it('refuses oneself or someone already on the step', () => {
    const flow = start([['all', ['a', 'b']]]);
    for (const toUserId of ['a', 'b']) {
      expect(transferTask(flow, { stepId: 's0', actorId: 'a', toUserId, comment: null, at })).toEqual({
        ok: false,
        refusal: 'invalid_target',
      });
    }
  });
});

describe('add a signer (加签)', () => {
  it('before: the new signer acts first, then the adder', () => {
    const flow = start([['single', ['a']]]);
    const t = ok(addSigner(flow, { stepId: 's0', actorId: 'a', userId: 'x', position: 'before', comment: null, at }));
    expect(t.eventType).toBe('signer.added');
    expect(tasksOf(t.flow, 's0')).toEqual(['x:active', 'a:waiting']);
    const afterX = approve(t.flow, 's0', 'x');
    expect(afterX.status).toBe('pending');
    expect(tasksOf(afterX, 's0')).toEqual(['x:approved', 'a:active']);
    expect(approve(afterX, 's0', 'a').status).toBe('approved');
  });

  it('after: the new signer acts once the adder approved, before the next seat in a sequential stage', () => {
    const flow = start([['sequential', ['a', 'b']]]);
    const t = ok(addSigner(flow, { stepId: 's0', actorId: 'a', userId: 'x', position: 'after', comment: null, at }));
    expect(tasksOf(t.flow, 's0')).toEqual(['a:active', 'x:waiting', 'b:waiting']);
    const afterA = approve(t.flow, 's0', 'a');
    expect(tasksOf(afterA, 's0')).toEqual(['a:approved', 'x:active', 'b:waiting']);
    expect(tasksOf(approve(afterA, 's0', 'x'), 's0')).toEqual(['a:approved', 'x:approved', 'b:active']);
  });
});
