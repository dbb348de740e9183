/**
 * Types of the multi-mode engine. The older single-mode types in `types.ts` stay as they
 * are (the API stores and sends them); these are their superset. Whatever the contracts
 * do not know yet (modes besides `single`, `returned`/`withdrawn` tickets, new event
 * types) is defined here, engine-side.
 */
import type {
  ApproverRule,
  Decision,
  StageDef,
  StageMode,
  TemplateDef,
  TemplateRules,
  TicketEventType,
  TicketStatus,
} from '@signoff/contracts';
import type { Refusal, StepState, TaskState } from './types';

/** How the approvers of a stage combine. */
export { STAGE_MODES as APPROVAL_MODES } from '@signoff/contracts';
export type ApprovalMode = StageMode;

/** A ticket's status including the two states the contracts do not have yet. */
export type FlowStatus = TicketStatus | 'returned' | 'withdrawn';
export const FINAL_FLOW_STATUSES: readonly FlowStatus[] = ['approved', 'rejected', 'withdrawn'];

export type SkipReason = 'condition' | 'requester' | 'rejected' | 'withdrawn';

export interface ApprovalStep extends Omit<StepState, 'mode' | 'tasks'> {
  mode: ApprovalMode;
  /** quorum mode: approvals needed (already clamped to the seats the stage has). */
  quorum: number | null;
  /** Bumped each time the step starts over (after a return or a resubmission). */
  round: number;
  tasks: TaskState[];
  skipReason: SkipReason | null;
}

/** Template settings that change how actions behave, copied into the flow when it starts. */
export interface FlowPolicy {
  rejectCommentRequired: boolean;
  /** The same approver in consecutive stages decides once. */
  dedupeConsecutive: boolean;
}

export interface ApprovalFlow {
  status: FlowStatus;
  /** Null only for flows converted from the single-mode API, which has no requester actions yet. */
  requesterId: string | null;
  policy: FlowPolicy;
  steps: ApprovalStep[];
}

export type ApprovalEventType =
  | TicketEventType
  | 'task.approved'
  | 'task.rejected'
  | 'task.transferred'
  | 'signer.added'
  | 'step.returned'
  | 'ticket.returned'
  | 'ticket.resubmitted'
  | 'ticket.withdrawn';

/** A rule the engine applied on its own; the API logs these next to the event. */
export type EngineNote =
  | { rule: 'condition_skipped'; stageKey: string; condition: string }
  | { rule: 'requester_auto_approved'; stageKey: string; userId: string }
  | { rule: 'requester_skipped'; stageKey: string; userId: string; stageSkipped: boolean }
  | { rule: 'dedupe_auto_approved'; stageKey: string; userId: string }
  | { rule: 'fallback_used'; stageKey: string; source: 'stage' | 'template' | 'admins' }
  | { rule: 'quorum_clamped'; stageKey: string; from: number; to: number }
  | { rule: 'no_stage_applies' };

export interface ApprovalTransition {
  flow: ApprovalFlow;
  changedStepIds: string[];
  eventType: ApprovalEventType;
  inboxChangedFor: string[];
  notes: EngineNote[];
}

/** Every reason an action can be refused; the single-mode `Refusal` plus the new ones. */
export type ActionRefusal =
  | Refusal
  | 'task_not_active' // 409: the actor has a task here, but it is not their turn
  | 'comment_required' // 400
  | 'not_requester' // 403
  | 'ticket_returned' // 409: waiting for the requester to resubmit
  | 'not_returned' // 409: resubmit of a ticket that was not returned
  | 'invalid_target' // 400: transfer/add-signer to oneself or to someone already on the step
  | 'invalid_return_target'; // 400: return to a stage that is not an earlier approved one

export type ActionResult<T> = { ok: true; value: T } | { ok: false; refusal: ActionRefusal };

interface ActionBase {
  actorId: string;
  at: string;
  comment: string | null;
}

/** approve / reject / return / transfer / add signer act on the actor's task in `stepId`. */
export interface TaskDecisionCommand extends ActionBase {
  stepId: string;
  decision: Decision;
}
export interface ReturnCommand extends ActionBase {
  stepId: string;
  /** `requester`, or the id of an earlier, approved step. */
  to: 'requester' | { stepId: string };
}
export interface TransferCommand extends ActionBase {
  stepId: string;
  toUserId: string;
}
export interface AddSignerCommand extends ActionBase {
  stepId: string;
  userId: string;
  position: 'before' | 'after';
}
export type RequesterCommand = ActionBase;

/** The template shapes the engine reads are the contracts' own. */
export type WorkflowApproverRule = ApproverRule;
export type WorkflowStageDef = Pick<StageDef, 'key' | 'name' | 'mode' | 'quorum' | 'condition' | 'fallback'> & { approver?: ApproverRule };
export type { TemplateRules };
export type WorkflowTemplate = Pick<TemplateDef, 'fields' | 'rules' | 'fallback'> & { stages: WorkflowStageDef[] };
