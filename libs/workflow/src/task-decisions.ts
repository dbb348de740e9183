/**
 * Approve and reject, on the actor's active task of a step, for every mode.
 */
import type { ActionResult, ApprovalFlow, ApprovalStep, ApprovalTransition, EngineNote, TaskDecisionCommand } from './approval-types';
import { settleFlow, transitionBetween, withTasks } from './flow-progress';
import { currentAssignees } from './stage-modes';
import type { TaskState } from './types';

export interface ActorTask {
  step: ApprovalStep;
  task: TaskState;
}

/**
 * Who may act is checked before what state the step is in, so a stranger learns nothing
 * about a ticket's progress (403 before 409).
 */
export function checkTaskAction(flow: ApprovalFlow, command: { stepId: string; actorId: string }): ActionResult<ActorTask> {
  const step = flow.steps.find((s) => s.id === command.stepId);
  if (!step) return { ok: false, refusal: 'step_not_found' };
  if (!currentAssignees(step).includes(command.actorId)) return { ok: false, refusal: 'not_approver' };
  if (flow.status === 'returned') return { ok: false, refusal: 'ticket_returned' };
  if (flow.status !== 'pending') return { ok: false, refusal: 'ticket_closed' };
  if (step.status !== 'active') return { ok: false, refusal: 'step_not_active' };
  const task = step.tasks.find((t) => t.assigneeId === command.actorId && t.status === 'active');
  if (!task) return { ok: false, refusal: 'task_not_active' };
  return { ok: true, value: { step, task } };
}

/** May `userId` act on `stepId` right now (holds an active task there)? */
export function hasActiveTask(flow: ApprovalFlow, stepId: string, userId: string): boolean {
  return checkTaskAction(flow, { stepId, actorId: userId }).ok;
}

/** Replaces one task of one step; returns a new flow. */
export function replaceTasks(flow: ApprovalFlow, stepId: string, tasks: TaskState[]): ApprovalFlow {
  return { ...flow, steps: flow.steps.map((s) => (s.id === stepId ? withTasks(s, tasks) : s)) };
}

export function decideTask(flow: ApprovalFlow, command: TaskDecisionCommand): ActionResult<ApprovalTransition> {
  const checked = checkTaskAction(flow, command);
  if (!checked.ok) return checked;
  const { step, task } = checked.value;
  const approve = command.decision === 'approve';
  const comment = command.comment?.trim() ? command.comment : null;
  if (!approve && flow.policy.rejectCommentRequired && !comment) return { ok: false, refusal: 'comment_required' };

  const decided: TaskState = { ...task, status: approve ? 'approved' : 'rejected', decidedAt: command.at, comment };
  const notes: EngineNote[] = [];
  const changed = replaceTasks(
    flow,
    step.id,
    step.tasks.map((t) => (t.id === task.id ? decided : t)),
  );
  const next = settleFlow(changed, { at: command.at, acted: { stepId: step.id, actorId: command.actorId, comment } }, notes);
  const stepAfter = next.steps.find((s) => s.id === step.id)!;
  const stepFinished = stepAfter.status !== 'active';
  const eventType = approve ? (stepFinished ? 'step.approved' : 'task.approved') : stepFinished ? 'step.rejected' : 'task.rejected';
  return { ok: true, value: transitionBetween(flow, next, eventType, notes) };
}

export const approveTask = (flow: ApprovalFlow, command: Omit<TaskDecisionCommand, 'decision'>) =>
  decideTask(flow, { ...command, decision: 'approve' });
export const rejectTask = (flow: ApprovalFlow, command: Omit<TaskDecisionCommand, 'decision'>) =>
  decideTask(flow, { ...command, decision: 'reject' });
