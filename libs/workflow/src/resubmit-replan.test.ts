import { describe, expect, it } from 'vitest';
import type { ActionResult, ApprovalTransition, WorkflowTemplate } from './approval-types';
import { planFlow } from './flow-planning';
import { resubmit, returnTicket } from './ticket-returns';

const at = '2026-11-22T10:32:00.000Z';
const template: WorkflowTemplate = {
  fields: [{ key: 'amount', label: { en: '', zh: '' }, type: 'number', required: true }],
  stages: [
    { key: 'manager', name: { en: '', zh: '' }, mode: 'single' },
    { key: 'committee', name: { en: '', zh: '' }, mode: 'all', condition: 'amount > 5000' },
  ],
};
const plan = (amount: number, ids: [string, string]) => {
  const result = planFlow(
    template,
    { amount },
    { manager: { stepId: ids[0], approverIds: ['m'] }, committee: { stepId: ids[1], approverIds: ['x', 'y'] } },
    { requesterId: 'req', adminIds: ['admin'], at },
  );
  if (!result.ok) throw new Error(result.error);
  return result.value;
};
const ok = (result: ActionResult<ApprovalTransition>) => {
  if (!result.ok) throw new Error(result.refusal);
  return result.value;
};

describe('resubmit with a replanned route (edited fields)', () => {
  it('takes the branches of the new fields, keeping step ids and starting a new round', () => {
    const small = plan(100, ['s0', 's1']).flow;
    expect(small.steps.map((s) => s.status)).toEqual(['active', 'skipped']);
    const returned = ok(returnTicket(small, { stepId: 's0', actorId: 'm', to: 'requester', comment: 'why', at })).flow;
    const replanned = plan(9000, ['p0', 'p1']);
    const t = ok(resubmit(returned, { actorId: 'req', comment: null, at, replanned }));
    expect(t.flow.status).toBe('pending');
    expect(t.flow.steps.map((s) => [s.id, s.status, s.round, s.skipReason])).toEqual([
      ['s0', 'active', 1, null],
      ['s1', 'waiting', 1, null],
    ]);
    expect(t.flow.steps[1].tasks.map((k) => [k.id, k.assigneeId])).toEqual([
      ['s1:1:0', 'x'],
      ['s1:1:1', 'y'],
    ]);
    expect(t.flow.steps[0].tasks.map((k) => k.id)).toEqual(['s0:1:0']);
  });

  it('skips a stage whose condition no longer holds and logs why', () => {
    const big = plan(9000, ['s0', 's1']).flow;
    const returned = ok(returnTicket(big, { stepId: 's0', actorId: 'm', to: 'requester', comment: 'why', at })).flow;
    const t = ok(resubmit(returned, { actorId: 'req', comment: null, at, replanned: plan(100, ['p0', 'p1']) }));
    expect(t.flow.steps.map((s) => [s.status, s.skipReason])).toEqual([
      ['active', null],
      ['skipped', 'condition'],
    ]);
    expect(t.notes).toContainEqual({ rule: 'condition_skipped', stageKey: 'committee', condition: 'amount > 5000' });
  });
});
