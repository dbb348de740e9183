/**
 * The one typed way to push to clients. Called only after a transaction commits, so a
 * client is never told about a state the database does not have.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@signoff/contracts';

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents>;

@Injectable()
export class RealtimePublisher {
  private server: TypedServer | null = null;
  private readonly logger = new Logger(RealtimePublisher.name);

  attach(server: TypedServer) {
    this.server = server;
  }

  send<E extends keyof ServerToClientEvents>(event: E, room: string, ...payload: Parameters<ServerToClientEvents[E]>) {
    if (!this.server) {
      this.logger.warn(`no socket server yet; dropped ${event} to ${room}`);
      return;
    }
    this.server.to(room).emit(event, ...payload);
  }
}
