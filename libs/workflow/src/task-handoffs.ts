/**
 * Handing work to someone else: transfer (转交) a task, or add a signer (加签) before or
 * after oneself. Both keep the seat, so a stage's "N of M" does not change.
 */
import type { ActionResult, AddSignerCommand, ApprovalFlow, ApprovalTransition, EngineNote, TransferCommand } from './approval-types';
import { settleFlow, transitionBetween } from './flow-progress';
import { currentAssignees, insertTask } from './stage-modes';
import { checkTaskAction, replaceTasks } from './task-decisions';

/** The actor's task goes to another user, who gets the same place in the step. */
export function transferTask(flow: ApprovalFlow, command: TransferCommand): ActionResult<ApprovalTransition> {
  const checked = checkTaskAction(flow, command);
  if (!checked.ok) return checked;
  const { step, task } = checked.value;
  if (currentAssignees(step).includes(command.toUserId)) return { ok: false, refusal: 'invalid_target' };

  const handedOver = { ...task, status: 'transferred' as const, decidedAt: command.at, comment: command.comment };
  const tasks = insertTask({ ...step, tasks: step.tasks.map((t) => (t.id === task.id ? handedOver : t)) }, handedOver, 'after', {
    assigneeId: command.toUserId,
    onBehalfOf: task.onBehalfOf ?? task.assigneeId,
  });
  const notes: EngineNote[] = [];
  const next = settleFlow(replaceTasks(flow, step.id, tasks), { at: command.at }, notes);
  return { ok: true, value: transitionBetween(flow, next, 'task.transferred', notes) };
}

/**
 * Another user must also approve in the actor's seat: `before` the actor (their task
 * waits until the new signer approved) or `after` them (the new signer's turn comes once
 * the actor approved).
 */
export function addSigner(flow: ApprovalFlow, command: AddSignerCommand): ActionResult<ApprovalTransition> {
  const checked = checkTaskAction(flow, command);
  if (!checked.ok) return checked;
  const { step, task } = checked.value;
  if (currentAssignees(step).includes(command.userId)) return { ok: false, refusal: 'invalid_target' };

  const tasks = insertTask(step, task, command.position, { assigneeId: command.userId, addedBy: command.actorId });
  const notes: EngineNote[] = [];
  const next = settleFlow(replaceTasks(flow, step.id, tasks), { at: command.at }, notes);
  return { ok: true, value: transitionBetween(flow, next, 'signer.added', notes) };
}
