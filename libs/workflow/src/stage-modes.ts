/**
 * Tasks of one step and the rules that say when a step is done, per mode.
 *
 * A step has seats (`slot`): one per resolved approver. A seat holds a chain of tasks in
 * `order`: normally one, more after "add a signer" (before/after the current one), and a
 * transferred task is replaced in its seat by the task of the new assignee. A seat is
 * approved when every task in its chain approved, rejected as soon as one of them
 * rejected.
 *
 * - single: the first seat to finish decides the stage, either way.
 * - all (会签): every seat must approve; one rejection rejects the stage.
 * - any (或签): the first approval wins; the stage is rejected only when every seat rejected.
 * - quorum (N of M): approved when N seats approved, rejected once N became unreachable.
 * - sequential (依次): seats take turns in order; one rejection rejects the stage.
 *
 * all, any and quorum are one rule with N = M, 1 and N.
 */
import type { ApprovalMode, ApprovalStep } from './approval-types';
import type { TaskState, TaskStatus } from './types';

export type StageOutcome = 'open' | 'approved' | 'rejected';

const OPEN: readonly TaskStatus[] = ['waiting', 'active'];
export const isOpenTask = (task: TaskState) => OPEN.includes(task.status);

export const taskId = (stepId: string, round: number, n: number) => `${stepId}:${round}:${n}`;

/** One waiting task per distinct approver, in the order given. */
export function tasksForApprovers(stepId: string, round: number, approverIds: string[]): TaskState[] {
  return [...new Set(approverIds)].map((assigneeId, i) => ({
    id: taskId(stepId, round, i),
    assigneeId,
    status: 'waiting',
    decidedAt: null,
    comment: null,
    order: i,
    slot: i,
  }));
}

/** Tasks that still count: a transferred task handed its seat to another. */
const seatedTasks = (step: Pick<ApprovalStep, 'tasks'>) => step.tasks.filter((t) => t.status !== 'transferred');

/** The step's current assignees (what `approverIds` means): everyone holding a task that was not handed on. */
export function currentAssignees(step: Pick<ApprovalStep, 'tasks'>): string[] {
  return [...new Set(seatedTasks(step).map((t) => t.assigneeId))];
}

/** Tasks grouped by seat, each chain in order, seats in the order of their first task. */
export function seats(step: Pick<ApprovalStep, 'tasks'>): TaskState[][] {
  const bySlot = new Map<number, TaskState[]>();
  for (const task of [...seatedTasks(step)].sort((a, b) => a.order - b.order)) {
    bySlot.set(task.slot, [...(bySlot.get(task.slot) ?? []), task]);
  }
  return [...bySlot.values()];
}

function seatOutcome(chain: TaskState[]): StageOutcome {
  if (chain.some((t) => t.status === 'rejected')) return 'rejected';
  if (chain.every((t) => t.status === 'approved')) return 'approved';
  return 'open';
}

/** Approvals a stage needs, given its mode and how many seats it has. */
export function requiredApprovals(mode: ApprovalMode, quorum: number | null, seatCount: number): number {
  switch (mode) {
    case 'single':
    case 'any':
      return Math.min(1, seatCount);
    case 'all':
    case 'sequential':
      return seatCount;
    case 'quorum':
      return Math.min(Math.max(quorum ?? 1, 1), seatCount);
  }
}

export interface StageProgress {
  approved: number;
  rejected: number;
  /** Seats (approvers) on the stage. */
  total: number;
  required: number;
  /** "2/3": approvals so far over approvals needed. */
  label: string;
}

export function stageProgress(step: Pick<ApprovalStep, 'mode' | 'quorum' | 'tasks'>): StageProgress {
  const outcomes = seats(step).map(seatOutcome);
  const approved = outcomes.filter((o) => o === 'approved').length;
  const rejected = outcomes.filter((o) => o === 'rejected').length;
  const required = requiredApprovals(step.mode, step.quorum, outcomes.length);
  return { approved, rejected, total: outcomes.length, required, label: `${approved}/${required}` };
}

/** Whether the step's tasks, as they stand, finish it. */
export function stageOutcome(step: Pick<ApprovalStep, 'mode' | 'quorum' | 'tasks'>): StageOutcome {
  const { approved, rejected, total, required } = stageProgress(step);
  if (total === 0) return 'open';
  if (step.mode === 'single') {
    if (approved > 0) return 'approved';
    return rejected > 0 ? 'rejected' : 'open';
  }
  if (step.mode === 'sequential' && rejected > 0) return 'rejected';
  if (approved >= required) return 'approved';
  if (total - rejected < required) return 'rejected';
  return 'open';
}

const withStatus = (task: TaskState, status: TaskStatus): TaskState => (task.status === status ? task : { ...task, status });

/**
 * Sets which open tasks of an open, active step are active: in parallel modes the first
 * open task of every open seat, in sequential mode only that of the first open seat.
 */
export function activateTasks(step: ApprovalStep): TaskState[] {
  const activeIds = new Set<string>();
  for (const chain of seats(step)) {
    if (seatOutcome(chain) !== 'open') continue;
    const next = chain.find(isOpenTask);
    if (next) activeIds.add(next.id);
    if (step.mode === 'sequential') break;
  }
  return step.tasks.map((t) => (isOpenTask(t) ? withStatus(t, activeIds.has(t.id) ? 'active' : 'waiting') : t));
}

/** Every open task closed: the step finished, or the ticket did. */
export const closeOpenTasks = (tasks: TaskState[]): TaskState[] => tasks.map((t) => (isOpenTask(t) ? withStatus(t, 'closed') : t));

/**
 * The step starts over (after a return or a resubmission): same seats and people, every
 * task waiting again except the requester's own automatic approval, new ids.
 */
export function freshRound(step: ApprovalStep): Pick<ApprovalStep, 'round' | 'tasks'> {
  const round = step.round + 1;
  const tasks = seatedTasks(step)
    .sort((a, b) => a.order - b.order)
    .map((t, i): TaskState => {
      const keep = t.auto === 'requester';
      const { auto: _auto, ...rest } = t;
      return {
        ...(keep ? t : rest),
        id: taskId(step.id, round, i),
        order: i,
        status: keep ? 'approved' : 'waiting',
        decidedAt: keep ? t.decidedAt : null,
        comment: keep ? t.comment : null,
      };
    });
  return { round, tasks };
}

/** Adds a task just before or after another one of the same step, keeping `order` 0..n-1. */
export function insertTask(
  step: Pick<ApprovalStep, 'id' | 'round' | 'tasks'>,
  beside: TaskState,
  where: 'before' | 'after',
  task: Omit<TaskState, 'id' | 'order' | 'slot' | 'status' | 'decidedAt' | 'comment'>,
): TaskState[] {
  const added: TaskState = {
    ...task,
    id: taskId(step.id, step.round, step.tasks.length),
    status: 'waiting',
    decidedAt: null,
    comment: null,
    slot: beside.slot,
    order: beside.order + (where === 'before' ? -0.5 : 0.5),
  };
  return [...step.tasks, added].sort((a, b) => a.order - b.order).map((t, i) => (t.order === i ? t : { ...t, order: i }));
}
