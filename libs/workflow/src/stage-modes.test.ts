import { describe, expect, it } from 'vitest';
import type { ApprovalFlow, ApprovalMode, TemplateRules } from './approval-types';
import { planFlow } from './flow-planning';
import { stageProgress } from './stage-modes';
import { decideTask } from './task-decisions';

const at = '2026-11-22T10:32:00.000Z';
interface StageSpec {
  mode: ApprovalMode;
  approvers: string[];
  quorum?: number;
}
function start(stages: StageSpec[], rules: TemplateRules = { rejectCommentRequired: false }) {
  const result = planFlow(
    {
      fields: [],
      rules,
      stages: stages.map((s, i) => ({ key: `s${i}`, name: { en: `s${i}`, zh: `s${i}` }, mode: s.mode, quorum: s.quorum })),
    },
    {},
    Object.fromEntries(stages.map((s, i) => [`s${i}`, { stepId: `s${i}`, approverIds: s.approvers }])),
    { requesterId: 'req', adminIds: ['admin'], at },
  );
  if (!result.ok) throw new Error(result.error);
  return result.value.flow;
}
function act(flow: ApprovalFlow, stepId: string, actorId: string, decision: 'approve' | 'reject' = 'approve') {
  const result = decideTask(flow, { stepId, actorId, decision, comment: decision === 'reject' ? 'no' : null, at });
  if (!result.ok) throw new Error(result.refusal);
  return result.value;
}
const statuses = (flow: ApprovalFlow, stepId = 's0') => flow.steps.find((s) => s.id === stepId)!.tasks.map((t) => t.status);

describe('all (会签)', () => {
  it('activates every approver at once and stays open until all agreed, counting "2/3"', () => {
    let flow = start([
      { mode: 'all', approvers: ['a', 'b', 'c'] },
      { mode: 'single', approvers: ['d'] },
    ]);
    expect(statuses(flow)).toEqual(['active', 'active', 'active']);
    const t1 = act(flow, 's0', 'a');
    expect(t1.eventType).toBe('task.approved');
    flow = act(t1.flow, 's0', 'c').flow;
    expect(stageProgress(flow.steps[0]).label).toBe('2/3');
    expect(flow.steps[0].status).toBe('active');
    const t3 = act(flow, 's0', 'b');
    expect(t3.eventType).toBe('step.approved');
    expect(t3.flow.steps.map((s) => s.status)).toEqual(['approved', 'active']);
  });

  it('one rejection rejects the stage and the ticket, closing the other tasks', () => {
    const flow = act(start([{ mode: 'all', approvers: ['a', 'b', 'c'] }]), 's0', 'a').flow;
    const t = act(flow, 's0', 'b', 'reject');
    expect(t.flow.status).toBe('rejected');
    expect(statuses(t.flow)).toEqual(['approved', 'rejected', 'closed']);
    expect(t.inboxChangedFor.sort()).toEqual(['b', 'c']);
  });
});

describe('any (或签)', () => {
  it('the first agreement wins and closes the other tasks', () => {
    const t = act(start([{ mode: 'any', approvers: ['a', 'b', 'c'] }]), 's0', 'b');
    expect(t.flow.status).toBe('approved');
    expect(statuses(t.flow)).toEqual(['closed', 'approved', 'closed']);
  });

  it('a rejection only closes that task; the stage is rejected when everyone rejected', () => {
    let flow = act(start([{ mode: 'any', approvers: ['a', 'b'] }]), 's0', 'a', 'reject').flow;
    expect(flow.status).toBe('pending');
    expect(statuses(flow)).toEqual(['rejected', 'active']);
    flow = act(flow, 's0', 'b', 'reject').flow;
    expect(flow.status).toBe('rejected');
  });
});

describe('sequential (依次)', () => {
  it('gives approvers their turn one after another', () => {
    let flow = start([{ mode: 'sequential', approvers: ['a', 'b', 'c'] }]);
    expect(statuses(flow)).toEqual(['active', 'waiting', 'waiting']);
    expect(decideTask(flow, { stepId: 's0', actorId: 'b', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'task_not_active',
    });
    flow = act(flow, 's0', 'a').flow;
    expect(statuses(flow)).toEqual(['approved', 'active', 'waiting']);
    flow = act(flow, 's0', 'b').flow;
    flow = act(flow, 's0', 'c').flow;
    expect(flow.status).toBe('approved');
  });

  it('a rejection on any turn rejects the stage', () => {
    const flow = act(start([{ mode: 'sequential', approvers: ['a', 'b'] }]), 's0', 'a').flow;
    expect(act(flow, 's0', 'b', 'reject').flow.status).toBe('rejected');
  });
});

describe('quorum (N of M)', () => {
  it('is approved exactly when the N-th approval arrives', () => {
    let flow = start([{ mode: 'quorum', quorum: 2, approvers: ['a', 'b', 'c'] }]);
    flow = act(flow, 's0', 'a').flow;
    expect(flow.status).toBe('pending');
    expect(stageProgress(flow.steps[0])).toMatchObject({ approved: 1, required: 2, total: 3, label: '1/2' });
    flow = act(flow, 's0', 'c').flow;
    expect(flow.status).toBe('approved');
    expect(statuses(flow)).toEqual(['approved', 'closed', 'approved']);
  });

  it('is rejected as soon as N approvals became unreachable', () => {
    let flow = start([{ mode: 'quorum', quorum: 2, approvers: ['a', 'b', 'c'] }]);
    flow = act(flow, 's0', 'a', 'reject').flow;
    expect(flow.status).toBe('pending');
    flow = act(flow, 's0', 'b', 'reject').flow;
    expect(flow.status).toBe('rejected');
  });
});

describe('single', () => {
  it('the first decision decides, either way', () => {
    expect(act(start([{ mode: 'single', approvers: ['a', 'b'] }]), 's0', 'b', 'reject').flow.status).toBe('rejected');
  });
});
