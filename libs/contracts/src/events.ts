import type { FlowDto, RuleNoteDto, TicketDto, UserRef } from './dto';
import type { StepStatus } from './status';
import type { TicketStatus } from './status';

/** Every kind of row in a ticket's event log. */
export const TICKET_EVENT_TYPES = [
  'ticket.submitted',
  'step.approved',
  'step.rejected',
  'task.approved',
  'task.rejected',
  'task.transferred',
  'task.escalated',
  'signer.added',
  'step.returned',
  'ticket.returned',
  'ticket.resubmitted',
  'ticket.withdrawn',
  'comment.added',
  'ticket.urged',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/**
 * One row of the ticket's ordered event log, as every transport delivers it.
 * It carries the whole snapshot after the event, so a client that applies events in
 * `seq` order always holds a state the database had.
 */
export interface TicketEventDto {
  ticketId: string;
  seq: number;
  type: TicketEventType;
  at: string;
  actor: UserRef | null;
  /** The actor acted for this person (a delegated or transferred task). */
  onBehalfOf: UserRef | null;
  comment: string | null;
  /** Rules the engine applied on its own in this event (auto-approvals, skipped branches, fallbacks…). */
  notes: RuleNoteDto[];
  /** The state before the event, for the audit trail; null for the first event. */
  before: { status: TicketStatus; steps: Array<{ id: string; status: StepStatus }> } | null;
  ticket: TicketDto;
  flow: FlowDto;
}

export interface InboxChangedDto {
  count: number;
}

/** Who is looking at a ticket right now, across every instance. Ephemeral: not in the log. */
export interface PresenceDto {
  ticketId: string;
  viewers: UserRef[];
}

export interface UrgedDto {
  ticketId: string;
  title: string;
  by: UserRef;
  at: string;
}

/** The admin dashboard's figures. */
export interface StatsDto {
  ticketsByStatus: Record<TicketStatus, number>;
  /** Decisions per minute over the last `minutes`, oldest first; `minute` is an ISO time. */
  decisionsPerMinute: Array<{ minute: string; count: number }>;
  at: string;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: string };
export type WatchAck = Ack<{ seq: number }>;

export interface WatchRequest {
  ticketId: string;
  afterSeq?: number;
}

export interface UnwatchRequest {
  ticketId: string;
}

/** Socket.IO event map: server → client. */
export interface ServerToClientEvents {
  'ticket:event': (event: TicketEventDto) => void;
  'inbox:changed': (payload: InboxChangedDto) => void;
  'presence:changed': (payload: PresenceDto) => void;
  /** To each approver of the active step when the requester urges (催办). */
  'ticket:urged': (payload: UrgedDto) => void;
  /** To admins, after every committed ticket event. */
  'stats:changed': (payload: StatsDto) => void;
}

/** Socket.IO event map: client → server. */
export interface ClientToServerEvents {
  'ticket:watch': (request: WatchRequest, ack: (result: WatchAck) => void) => void;
  'ticket:unwatch': (request: UnwatchRequest, ack: (result: Ack<object>) => void) => void;
}

export const ticketRoom = (ticketId: string) => `ticket:${ticketId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const ADMIN_ROOM = 'role:admin';
