/**
 * Moves a flow forward after its tasks changed: finishes the active step when its mode
 * says so, activates the next one (applying the "decides once" rule), and finishes the
 * ticket. Every action ends here, so the rules that keep a ticket from getting stuck
 * live in one place.
 */
import type { ApprovalEventType, ApprovalFlow, ApprovalStep, ApprovalTransition, EngineNote } from './approval-types';
import { activateTasks, closeOpenTasks, currentAssignees, freshRound, isOpenTask, stageOutcome } from './stage-modes';
import type { TaskState } from './types';

export interface SettleContext {
  at: string;
  /** The step a person just acted on, and how: it gets their name and comment if it finishes. */
  acted?: { stepId: string; actorId: string; comment: string | null };
}

/** The step with its `approverIds` recomputed from its tasks. */
export const withTasks = (step: ApprovalStep, tasks: TaskState[]): ApprovalStep => ({
  ...step,
  tasks,
  approverIds: currentAssignees({ tasks }),
});

function previousRanStep(steps: ApprovalStep[], index: number): ApprovalStep | undefined {
  for (let j = index - 1; j >= 0; j--) if (steps[j].status !== 'skipped') return steps[j];
  return undefined;
}

function activate(flow: ApprovalFlow, steps: ApprovalStep[], index: number, context: SettleContext, notes: EngineNote[]): ApprovalStep {
  let step = steps[index];
  if (step.status === 'returned') step = { ...step, ...freshRound(step) };
  step = { ...step, status: 'active', decidedById: null, decision: null, decidedAt: null, comment: null };
  const previous = previousRanStep(steps, index);
  if (flow.policy.dedupeConsecutive && previous?.status === 'approved') {
    const decidedBefore = new Set(previous.tasks.filter((t) => t.status === 'approved').map((t) => t.assigneeId));
    const tasks = step.tasks.map((t): TaskState => {
      if (!isOpenTask(t) || !decidedBefore.has(t.assigneeId)) return t;
      notes.push({ rule: 'dedupe_auto_approved', stageKey: step.key, userId: t.assigneeId });
      return { ...t, status: 'approved', auto: 'dedupe', decidedAt: context.at, comment: null };
    });
    step = { ...step, tasks };
  }
  return withTasks(step, step.tasks);
}

function finish(step: ApprovalStep, outcome: 'approved' | 'rejected', context: SettleContext): ApprovalStep {
  const acted = context.acted?.stepId === step.id ? context.acted : undefined;
  const lastDecided = [...step.tasks].reverse().find((t) => t.status === (outcome === 'approved' ? 'approved' : 'rejected'));
  return {
    ...withTasks(step, closeOpenTasks(step.tasks)),
    status: outcome,
    decidedById: acted?.actorId ?? lastDecided?.assigneeId ?? null,
    decision: outcome === 'approved' ? 'approve' : 'reject',
    decidedAt: context.at,
    comment: acted?.comment ?? null,
  };
}

/** Skips every step that has not run, closing its tasks: the ticket ended early. */
export const skipUnfinished = (steps: ApprovalStep[], reason: 'rejected' | 'withdrawn'): ApprovalStep[] =>
  steps.map((s) =>
    s.status === 'waiting' || s.status === 'active'
      ? { ...withTasks(s, closeOpenTasks(s.tasks)), status: 'skipped', skipReason: reason }
      : s,
  );

export function settleFlow(flow: ApprovalFlow, context: SettleContext, notes: EngineNote[]): ApprovalFlow {
  if (flow.status !== 'pending') return flow;
  const steps = [...flow.steps];
  // Each pass finishes or activates a step; a flow never needs more than two per step.
  for (let guard = 0; guard <= steps.length * 2 + 1; guard++) {
    const activeIndex = steps.findIndex((s) => s.status === 'active');
    if (activeIndex < 0) {
      const nextIndex = steps.findIndex((s) => s.status === 'waiting' || s.status === 'returned');
      if (nextIndex < 0) return { ...flow, status: 'approved', steps };
      steps[nextIndex] = activate(flow, steps, nextIndex, context, notes);
      continue;
    }
    const step = steps[activeIndex];
    const outcome = stageOutcome(step);
    if (outcome === 'open') {
      steps[activeIndex] = withTasks(step, activateTasks(step));
      return { ...flow, steps };
    }
    steps[activeIndex] = finish(step, outcome, context);
    if (outcome === 'rejected') return { ...flow, status: 'rejected', steps: skipUnfinished(steps, 'rejected') };
  }
  throw new Error('settleFlow did not converge');
}

/** `stepId|userId` of every active task of a pending flow. */
function activeAssignments(flow: ApprovalFlow): Set<string> {
  const pairs = new Set<string>();
  if (flow.status !== 'pending') return pairs;
  for (const step of flow.steps) {
    if (step.status !== 'active') continue;
    for (const task of step.tasks) if (task.status === 'active') pairs.add(`${step.id}|${task.assigneeId}`);
  }
  return pairs;
}

/** Users whose to-do list differs between the two flows. */
export function inboxChanges(before: ApprovalFlow, after: ApprovalFlow): string[] {
  const a = activeAssignments(before);
  const b = activeAssignments(after);
  const users = new Set<string>();
  for (const pair of a) if (!b.has(pair)) users.add(pair.split('|')[1]);
  for (const pair of b) if (!a.has(pair)) users.add(pair.split('|')[1]);
  return [...users];
}

export function transitionBetween(
  before: ApprovalFlow,
  after: ApprovalFlow,
  eventType: ApprovalEventType,
  notes: EngineNote[],
  alsoInboxOf: string[] = [],
): ApprovalTransition {
  const changedStepIds = after.steps.filter((s, i) => JSON.stringify(s) !== JSON.stringify(before.steps[i])).map((s) => s.id);
  return {
    flow: after,
    changedStepIds,
    eventType,
    inboxChangedFor: [...new Set([...inboxChanges(before, after), ...alsoInboxOf])],
    notes,
  };
}
