/**
 * The approval engine: pure functions from (flow, command) to the next flow.
 * No I/O, no clock, no ids: callers pass them in, so every transition is testable alone.
 */
import type { DecisionCommand, FlowState, PlannedStage, Result, StepState, Transition } from './types';

/** A new ticket's flow: the first stage is active, the rest wait. */
export function startFlow(stages: PlannedStage[]): Transition {
  if (stages.length === 0) throw new Error('a template needs at least one stage');
  const steps: StepState[] = stages.map((stage, index) => ({
    ...stage,
    position: index,
    status: index === 0 ? 'active' : 'waiting',
    decidedById: null,
    decision: null,
    decidedAt: null,
    comment: null,
  }));
  for (const step of steps) {
    if (step.approverIds.length === 0) throw new Error(`stage "${step.key}" has no approver`);
  }
  return {
    flow: { status: 'pending', steps },
    changedStepIds: steps.map((s) => s.id),
    eventType: 'ticket.submitted',
    inboxChangedFor: [...steps[0].approverIds],
  };
}

export function activeSteps(flow: FlowState): StepState[] {
  return flow.steps.filter((s) => s.status === 'active');
}

/** May `userId` decide `stepId` right now? */
export function canDecide(flow: FlowState, stepId: string, userId: string): boolean {
  const step = flow.steps.find((s) => s.id === stepId);
  return flow.status === 'pending' && step?.status === 'active' && step.approverIds.includes(userId);
}

/**
 * Checks who may act before what state the step is in, so a stranger learns nothing
 * about a ticket's progress (403 before 409).
 */
export function checkDecision(flow: FlowState, command: Pick<DecisionCommand, 'stepId' | 'actorId'>): Result<StepState> {
  const step = flow.steps.find((s) => s.id === command.stepId);
  if (!step) return { ok: false, refusal: 'step_not_found' };
  if (!step.approverIds.includes(command.actorId)) return { ok: false, refusal: 'not_approver' };
  if (flow.status !== 'pending') return { ok: false, refusal: 'ticket_closed' };
  if (step.status !== 'active') return { ok: false, refusal: 'step_not_active' };
  return { ok: true, value: step };
}

/** Approve moves to the next stage (or completes the ticket); reject ends the ticket. */
export function decide(flow: FlowState, command: DecisionCommand): Result<Transition> {
  const checked = checkDecision(flow, command);
  if (!checked.ok) return checked;
  const current = checked.value;
  const approved = command.decision === 'approve';
  const next = approved ? flow.steps.find((s) => s.position > current.position && s.status === 'waiting') : undefined;

  const steps = flow.steps.map((step): StepState => {
    if (step.id === current.id) {
      return {
        ...step,
        status: approved ? 'approved' : 'rejected',
        decidedById: command.actorId,
        decision: command.decision,
        decidedAt: command.at,
        comment: command.comment,
      };
    }
    if (next && step.id === next.id) return { ...step, status: 'active' };
    if (!approved && step.status === 'waiting') return { ...step, status: 'skipped' };
    return step;
  });
  const changedStepIds = steps.filter((s, i) => s !== flow.steps[i]).map((s) => s.id);
  const status = approved ? (next ? 'pending' : 'approved') : 'rejected';
  const inboxChangedFor = new Set(current.approverIds);
  for (const id of next?.approverIds ?? []) inboxChangedFor.add(id);

  return {
    ok: true,
    value: {
      flow: { status, steps },
      changedStepIds,
      eventType: approved ? 'step.approved' : 'step.rejected',
      inboxChangedFor: [...inboxChangedFor],
    },
  };
}
