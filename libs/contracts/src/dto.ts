import type { Decision, LocalizedText, Role, StepStatus, TaskStatus, TicketStatus } from './status';
import type { StageMode } from './templates';
import type { FieldDef } from './templates';

export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export interface UserDto extends UserRef {
  role: Role;
  managerId: string | null;
  active: boolean;
}

export interface LoginResponse {
  user: UserDto;
  /** Bearer token for API clients; browsers use the httpOnly session cookie set alongside. */
  token: string;
}

export type FieldValue = string | number | null;
export type FieldValues = Record<string, FieldValue>;

export interface TicketDto {
  id: string;
  title: string;
  templateKey: string;
  templateVersion: number;
  templateName: LocalizedText;
  /** The template's field definitions as they were when the ticket started. */
  fieldDefs: FieldDef[];
  fields: FieldValues;
  status: TicketStatus;
  requester: UserRef;
  createdAt: string;
  updatedAt: string;
  /** Sequence number of the newest event of this ticket. */
  seq: number;
}

export interface TaskDto {
  id: string;
  assignee: UserRef;
  /** Transferred or delegated: the person the task was first meant for. */
  onBehalfOf: UserRef | null;
  /** Added signer (加签): who added them. */
  addedBy: UserRef | null;
  status: TaskStatus;
  decidedAt: string | null;
  comment: string | null;
  order: number;
  /** Decided by a rule rather than a person. */
  auto: 'requester' | 'dedupe' | null;
}

export interface StepDto {
  id: string;
  key: string;
  name: LocalizedText;
  position: number;
  status: StepStatus;
  mode: StageMode;
  quorum: number | null;
  round: number;
  skipReason: 'condition' | 'requester' | 'rejected' | 'withdrawn' | null;
  /** Everyone who holds or held a task in the current round. */
  approvers: UserRef[];
  tasks: TaskDto[];
  /** "2/3 agreed": approvals so far and approvals needed. */
  progress: { approved: number; rejected: number; required: number; total: number };
  decidedBy: UserRef | null;
  decision: Decision | null;
  decidedAt: string | null;
  comment: string | null;
}

export interface FlowDto {
  steps: StepDto[];
}

/** GET /api/tickets/:id */
export interface TicketDetailDto {
  ticket: TicketDto;
  flow: FlowDto;
  seq: number;
  /** Step ids the caller may decide right now. */
  actionableStepIds: string[];
}

/** One row of GET /api/tickets?box=… */
export interface TicketSummaryDto {
  ticket: TicketDto;
  /** The stage currently waiting for a decision, if any. */
  activeStep: StepDto | null;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export interface HealthDto {
  status: 'ok';
  database: 'up';
}

export interface ClientConfigDto {
  gojsLicenseKey: string;
}

/** One ticket's outcome in a bulk decision: each ticket is decided in its own transaction. */
export type BulkDecisionResult =
  | { ticketId: string; stepId: string; ok: true; status: TicketStatus }
  | { ticketId: string; stepId: string; ok: false; statusCode: number; message: string };

export interface BulkDecisionResponse {
  succeeded: number;
  failed: number;
  results: BulkDecisionResult[];
}

/** Out-of-office delegation: new tasks go to the delegate between the two dates (inclusive). */
export interface DelegationDto {
  delegate: UserRef;
  from: string;
  to: string;
}

/** A person others can pick (transfer, add signer, requester's pick). */
export type DirectoryEntry = UserRef & { role: Role };

/** What a ticket would do if submitted now: the same flow a ticket shows, nothing written. */
export interface RoutePreviewDto {
  flow: FlowDto;
  status: TicketStatus;
  notes: RuleNoteDto[];
}

/** A rule the engine applied on its own (recorded in the event log). */
export interface RuleNoteDto {
  rule:
    | 'condition_skipped'
    | 'requester_auto_approved'
    | 'requester_skipped'
    | 'dedupe_auto_approved'
    | 'fallback_used'
    | 'quorum_clamped'
    | 'no_stage_applies'
    | 'delegated';
  stageKey: string | null;
  user: UserRef | null;
  detail: string | null;
}
