import { describe, expect, it } from 'vitest';
import { canDecide, decide, startFlow } from './engine';
import type { FlowState, PlannedStage } from './types';

const stage = (id: string, approverIds: string[]): PlannedStage => ({
  id,
  key: id,
  name: { en: id, zh: id },
  mode: 'single',
  approverIds,
});
const threeStages = () => startFlow([stage('review', ['u1', 'u2']), stage('qa', ['u3']), stage('ops', ['u4'])]).flow;
const at = '2026-11-22T10:32:00.000Z';
const approve = (flow: FlowState, stepId: string, actorId: string) => {
  const result = decide(flow, { stepId, actorId, decision: 'approve', comment: null, at });
  if (!result.ok) throw new Error(result.refusal);
  return result.value;
};

describe('startFlow', () => {
  it('activates the first stage and leaves the others waiting', () => {
    const start = startFlow([stage('a', ['u1']), stage('b', ['u2'])]);
    expect(start.flow.status).toBe('pending');
    expect(start.flow.steps.map((s) => s.status)).toEqual(['active', 'waiting']);
    expect(start.eventType).toBe('ticket.submitted');
    expect(start.inboxChangedFor).toEqual(['u1']);
  });

  it('refuses a template without stages', () => {
    expect(() => startFlow([])).toThrow(/at least one stage/);
  });

  it('refuses a stage that resolved no approver', () => {
    expect(() => startFlow([stage('a', [])])).toThrow(/no approver/);
  });
});

describe('decide', () => {
  it('approving a middle stage activates the next one and keeps the ticket pending', () => {
    const t = approve(threeStages(), 'review', 'u2');
    expect(t.flow.status).toBe('pending');
    expect(t.flow.steps.map((s) => s.status)).toEqual(['approved', 'active', 'waiting']);
    expect(t.flow.steps[0]).toMatchObject({ decidedById: 'u2', decision: 'approve', decidedAt: at });
    expect(t.changedStepIds).toEqual(['review', 'qa']);
    expect(t.eventType).toBe('step.approved');
    expect(t.inboxChangedFor.sort()).toEqual(['u1', 'u2', 'u3']);
  });

  it('approving the last stage completes the ticket as approved', () => {
    let flow = threeStages();
    flow = approve(flow, 'review', 'u1').flow;
    flow = approve(flow, 'qa', 'u3').flow;
    const t = approve(flow, 'ops', 'u4');
    expect(t.flow.status).toBe('approved');
    expect(t.flow.steps.every((s) => s.status === 'approved')).toBe(true);
    expect(t.changedStepIds).toEqual(['ops']);
  });

  it('rejecting ends the ticket as rejected and skips the stages still waiting', () => {
    const flow = approve(threeStages(), 'review', 'u1').flow;
    const result = decide(flow, { stepId: 'qa', actorId: 'u3', decision: 'reject', comment: 'flaky tests', at });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.flow.status).toBe('rejected');
    expect(result.value.flow.steps.map((s) => s.status)).toEqual(['approved', 'rejected', 'skipped']);
    expect(result.value.flow.steps[1].comment).toBe('flaky tests');
    expect(result.value.eventType).toBe('step.rejected');
  });

  it('refuses someone who is not an approver of the step', () => {
    expect(decide(threeStages(), { stepId: 'review', actorId: 'u3', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'not_approver',
    });
  });

  it('refuses a step that is not active yet', () => {
    expect(decide(threeStages(), { stepId: 'qa', actorId: 'u3', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'step_not_active',
    });
  });

  it('refuses a step that was already decided', () => {
    const flow = approve(threeStages(), 'review', 'u1').flow;
    expect(decide(flow, { stepId: 'review', actorId: 'u2', decision: 'reject', comment: null, at })).toEqual({
      ok: false,
      refusal: 'step_not_active',
    });
  });

  it('refuses any decision once the ticket is closed', () => {
    const rejected = decide(threeStages(), { stepId: 'review', actorId: 'u1', decision: 'reject', comment: null, at });
    if (!rejected.ok) throw new Error('expected ok');
    expect(decide(rejected.value.flow, { stepId: 'qa', actorId: 'u3', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'ticket_closed',
    });
  });

  it('refuses an unknown step', () => {
    expect(decide(threeStages(), { stepId: 'nope', actorId: 'u1', decision: 'approve', comment: null, at })).toEqual({
      ok: false,
      refusal: 'step_not_found',
    });
  });

  it('does not mutate the flow it was given', () => {
    const flow = threeStages();
    const before = structuredClone(flow);
    approve(flow, 'review', 'u1');
    expect(flow).toEqual(before);
  });
});

describe('canDecide', () => {
  it('is true only for an approver of the active step of a pending ticket', () => {
    const flow = threeStages();
    expect(canDecide(flow, 'review', 'u1')).toBe(true);
    expect(canDecide(flow, 'review', 'u3')).toBe(false);
    expect(canDecide(flow, 'qa', 'u3')).toBe(false);
  });
});
