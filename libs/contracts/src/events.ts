import type { FlowDto, TicketDto, UserRef } from './dto';

/** Every kind of row in a ticket's event log. */
export const TICKET_EVENT_TYPES = ['ticket.submitted', 'step.approved', 'step.rejected'] as const;
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
  comment: string | null;
  ticket: TicketDto;
  flow: FlowDto;
}

export interface InboxChangedDto {
  count: number;
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
}

/** Socket.IO event map: client → server. */
export interface ClientToServerEvents {
  'ticket:watch': (request: WatchRequest, ack: (result: WatchAck) => void) => void;
  'ticket:unwatch': (request: UnwatchRequest, ack: (result: Ack<object>) => void) => void;
}

export const ticketRoom = (ticketId: string) => `ticket:${ticketId}`;
export const userRoom = (userId: string) => `user:${userId}`;
