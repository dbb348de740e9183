import type { Decision, LocalizedText, StageMode, StepStatus, TicketStatus } from '@signoff/contracts';

/** One stage of a running ticket as the engine sees it: ids only, no names of people. */
export interface StepState {
  id: string;
  key: string;
  name: LocalizedText;
  position: number;
  mode: StageMode;
  status: StepStatus;
  /** Users who may decide this step. Resolved when the ticket starts. */
  approverIds: string[];
  decidedById: string | null;
  decision: Decision | null;
  decidedAt: string | null;
  comment: string | null;
}

export interface FlowState {
  status: TicketStatus;
  steps: StepState[];
}

/** A stage with its approvers already resolved (resolution needs I/O, so the caller does it). */
export interface PlannedStage {
  id: string;
  key: string;
  name: LocalizedText;
  mode: StageMode;
  approverIds: string[];
}

export interface DecisionCommand {
  stepId: string;
  actorId: string;
  decision: Decision;
  comment: string | null;
  at: string;
}

/** Why the engine refused a command; the API maps each to an HTTP status. */
export type Refusal =
  | 'step_not_found' // 404
  | 'not_approver' // 403
  | 'step_not_active' // 409
  | 'ticket_closed'; // 409

export type EngineEventType = 'ticket.submitted' | 'step.approved' | 'step.rejected';

export interface Transition {
  flow: FlowState;
  /** Steps whose row changed and must be written. */
  changedStepIds: string[];
  eventType: EngineEventType;
  /** Users whose to-do list changed because of this transition. */
  inboxChangedFor: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
