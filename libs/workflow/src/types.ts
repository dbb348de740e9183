import type { Decision, LocalizedText, StageMode, StepStatus, TaskStatus } from '@signoff/contracts';

/** One stage of a running ticket as the engine sees it: ids only, no names of people. */
export interface StepState {
  id: string;
  key: string;
  name: LocalizedText;
  position: number;
  mode: StageMode;
  status: StepStatus;
  /** Who currently holds an open or decided task here (derived from `tasks`). */
  approverIds: string[];
  decidedById: string | null;
  decision: Decision | null;
  decidedAt: string | null;
  comment: string | null;
  /** Who must act on this step, one task per assignee (see `stage-modes.ts`). */
  tasks: TaskState[];
}

export type { TaskStatus };

/** Why the engine, not a person, decided a task. */
export type AutoDecision = 'requester' | 'dedupe';

/** One person's part in one step. */
export interface TaskState {
  /** `${stepId}:${round}:${n}`: deterministic, unique within the flow. */
  id: string;
  assigneeId: string;
  /** Set on a task created by a transfer: the user the task was first meant for. */
  onBehalfOf?: string;
  /** Set on a task created by "add a signer": who added it. */
  addedBy?: string;
  status: TaskStatus;
  decidedAt: string | null;
  comment: string | null;
  /** Position in the step; in a sequential step, the order of turns. */
  order: number;
  /**
   * The approver seat this task fills. Transfers and added signers share the seat of the
   * task they came from, so a stage's "N of M" counts seats, not people.
   */
  slot: number;
  /** Present when the engine decided the task by a rule. */
  auto?: AutoDecision;
}

/** Why the engine refused a command; the API maps each to an HTTP status. */
export type Refusal =
  | 'step_not_found' // 404
  | 'not_approver' // 403
  | 'step_not_active' // 409
  | 'ticket_closed'; // 409
