/** Every outcome of single-mode stages (one approver decides), driven through the engine's real entry points. */
import { describe, expect, it } from 'vitest';
import type { ApprovalFlow, WorkflowTemplate } from './approval-types';
import { planFlow, type StageResolution } from './flow-planning';
import { decideTask } from './task-decisions';

const at = '2026-11-22T10:32:00.000Z';
const template = (keys: string[]): WorkflowTemplate => ({
  fields: [],
  stages: keys.map((key) => ({ key, name: { en: key, zh: key }, mode: 'single', approver: { kind: 'role', role: 'approver' } })),
  rules: { rejectCommentRequired: false },
});
function start(approvers: Record<string, string[]>) {
  const keys = Object.keys(approvers);
  const resolved: Record<string, StageResolution> = Object.fromEntries(keys.map((k) => [k, { stepId: k, approverIds: approvers[k] }]));
  const planned = planFlow(template(keys), {}, resolved, { requesterId: 'requester', adminIds: ['admin'], at });
  if (!planned.ok) throw new Error(planned.error);
  return planned.value;
}
const threeStages = () => start({ review: ['u1', 'u2'], qa: ['u3'], ops: ['u4'] }).flow;
const decide = (flow: ApprovalFlow, stepId: string, actorId: string, decision: 'approve' | 'reject', comment: string | null = null) =>
  decideTask(flow, { stepId, actorId, decision, comment, at });
const approve = (flow: ApprovalFlow, stepId: string, actorId: string) => {
  const result = decide(flow, stepId, actorId, 'approve');
  if (!result.ok) throw new Error(result.refusal);
  return result.value;
};

describe('starting a flow', () => {
  it('activates the first stage and leaves the others waiting', () => {
    const started = start({ a: ['u1'], b: ['u2'] });
    expect(started.flow.status).toBe('pending');
    expect(started.flow.steps.map((s) => s.status)).toEqual(['active', 'waiting']);
    expect(started.eventType).toBe('ticket.submitted');
    expect(started.inboxChangedFor).toEqual(['u1']);
  });

  it('gives every step one task per approver, active only on the first step', () => {
    const flow = threeStages();
    expect(flow.steps[0].tasks.map((t) => [t.assigneeId, t.status])).toEqual([
      ['u1', 'active'],
      ['u2', 'active'],
    ]);
    expect(flow.steps[1].tasks.map((t) => t.status)).toEqual(['waiting']);
  });

  it('falls back to the admins for a stage that resolved nobody', () => {
    const started = start({ a: [] });
    expect(started.flow.steps[0].tasks.map((t) => t.assigneeId)).toEqual(['admin']);
    expect(started.notes).toContainEqual({ rule: 'fallback_used', stageKey: 'a', source: 'admins' });
  });
});

describe('deciding a single-mode stage', () => {
  it('approving a middle stage activates the next one and keeps the ticket pending', () => {
    const t = approve(threeStages(), 'review', 'u2');
    expect(t.flow.status).toBe('pending');
    expect(t.flow.steps.map((s) => s.status)).toEqual(['approved', 'active', 'waiting']);
    expect(t.flow.steps[0]).toMatchObject({ decidedById: 'u2', decision: 'approve', decidedAt: at });
    expect(t.flow.steps[0].tasks.map((task) => task.status)).toEqual(['closed', 'approved']);
    expect(t.eventType).toBe('step.approved');
    expect([...t.inboxChangedFor].sort()).toEqual(['u1', 'u2', 'u3']);
  });

  it('approving the last stage completes the ticket as approved', () => {
    let flow = threeStages();
    flow = approve(flow, 'review', 'u1').flow;
    flow = approve(flow, 'qa', 'u3').flow;
    const t = approve(flow, 'ops', 'u4');
    expect(t.flow.status).toBe('approved');
    expect(t.flow.steps.every((s) => s.status === 'approved')).toBe(true);
  });

  it('rejecting ends the ticket as rejected and skips the stages still waiting', () => {
    const flow = approve(threeStages(), 'review', 'u1').flow;
    const result = decide(flow, 'qa', 'u3', 'reject', 'flaky tests');
    if (!result.ok) throw new Error(result.refusal);
    expect(result.value.flow.status).toBe('rejected');
    expect(result.value.flow.steps.map((s) => s.status)).toEqual(['approved', 'rejected', 'skipped']);
    expect(result.value.flow.steps[1].comment).toBe('flaky tests');
    expect(result.value.eventType).toBe('step.rejected');
  });

  it('refuses someone who is not an approver of the step', () => {
    expect(decide(threeStages(), 'review', 'u3', 'approve')).toEqual({ ok: false, refusal: 'not_approver' });
  });

  it('refuses a step that is not active yet', () => {
    expect(decide(threeStages(), 'qa', 'u3', 'approve')).toMatchObject({ ok: false });
  });

  it('refuses a step that was already decided', () => {
    const flow = approve(threeStages(), 'review', 'u1').flow;
    expect(decide(flow, 'review', 'u2', 'reject')).toMatchObject({ ok: false });
  });

  it('refuses any decision once the ticket is closed', () => {
    const rejected = decide(threeStages(), 'review', 'u1', 'reject');
    if (!rejected.ok) throw new Error('expected ok');
    expect(decide(rejected.value.flow, 'qa', 'u3', 'approve')).toEqual({ ok: false, refusal: 'ticket_closed' });
  });

  it('refuses an unknown step', () => {
    expect(decide(threeStages(), 'nope', 'u1', 'approve')).toEqual({ ok: false, refusal: 'step_not_found' });
  });

  it('does not mutate the flow it was given', () => {
    const flow = threeStages();
    const before = structuredClone(flow);
    approve(flow, 'review', 'u1');
    expect(flow).toEqual(before);
  });
});
