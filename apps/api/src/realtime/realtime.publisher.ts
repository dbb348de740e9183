/**
 * The one typed way to push to clients. Called only after a transaction commits, so a
 * client is never told about a state the database does not have.
 *
 * Ticket events go to the Socket.IO room (shared across instances by the Redis adapter)
 * and to the in-process bus that feeds Server-Sent Events; `serverSideEmit` carries them
 * to the other instances' buses.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Server } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ticketRoom, type ClientToServerEvents, type ServerToClientEvents, type TicketEventDto } from '@signoff/contracts';

interface InterServerEvents {
  'signoff:ticket-event': (event: TicketEventDto) => void;
}
export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;

@Injectable()
export class RealtimePublisher {
  private server: TypedServer | null = null;
  private readonly logger = new Logger(RealtimePublisher.name);
  /** Ticket events committed on any instance, for this instance's SSE streams. */
  private readonly bus = new EventEmitter().setMaxListeners(0);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get socketServer(): TypedServer | null {
    return this.server;
  }

  attach(server: TypedServer) {
    this.server = server;
    server.on('signoff:ticket-event', (event) => this.bus.emit('ticket-event', event));
  }

  send<E extends keyof ServerToClientEvents>(event: E, room: string, ...payload: Parameters<ServerToClientEvents[E]>) {
    if (!this.server) {
      this.logger.warn(`no socket server yet; dropped ${event} to ${room}`);
      return;
    }
    this.server.to(room).emit(event, ...payload);
  }

  publishTicketEvent(event: TicketEventDto) {
    this.send('ticket:event', ticketRoom(event.ticketId), event);
    this.bus.emit('ticket-event', event);
    if (!this.config.REDIS_URL) return; // one instance: nobody else to tell
    try {
      this.server?.serverSideEmit('signoff:ticket-event', event);
    } catch (err) {
      // Redis down: local watchers have it; the others resync by seq when it returns.
      this.logger.warn(`cross-instance publish failed: ${String(err)}`);
    }
  }

  /** Subscribes to ticket events committed anywhere; returns the unsubscribe function. */
  onTicketEvent(listener: (event: TicketEventDto) => void): () => void {
    this.bus.on('ticket-event', listener);
    return () => this.bus.off('ticket-event', listener);
  }
}
