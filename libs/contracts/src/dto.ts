import type { Decision, LocalizedText, Role, StepStatus, TicketStatus } from './status';
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

export interface StepDto {
  id: string;
  key: string;
  name: LocalizedText;
  position: number;
  status: StepStatus;
  approvers: UserRef[];
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
