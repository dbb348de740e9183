/**
 * Revocation for live connections. Every REVALIDATE_INTERVAL_MS this instance checks its
 * own sockets and SSE streams: a session that ended (logout, expiry, user disabled — even
 * by the CLI in another process) is disconnected, and a socket that may no longer see a
 * ticket leaves that ticket's room.
 */
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ticketRoom, type UserDto } from '@signoff/contracts';
import { SessionsRepository } from '../auth/sessions.repository';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { TicketsService } from '../tickets/tickets.service';
import { RealtimePublisher } from './realtime.publisher';

export interface SocketIdentity {
  user: UserDto;
  sessionHash: string;
}

interface Stream extends SocketIdentity {
  ticketId: string;
  close(): void;
}

const TICKET_ROOM_PREFIX = ticketRoom('');

@Injectable()
export class LiveConnections implements OnModuleInit, OnModuleDestroy {
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly logger = new Logger(LiveConnections.name);

  constructor(
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(TicketsService) private readonly tickets: TicketsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.timer = setInterval(() => void this.sweep(), this.config.REVALIDATE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
    for (const stream of this.streams) stream.close();
  }

  /** Registers an SSE stream; returns its unregister function. */
  addStream(stream: Stream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  /** Ends at once, on this instance, every connection of a session that was just closed. */
  async revokeSession(sessionHash: string) {
    const server = this.realtime.socketServer;
    for (const socket of server ? await server.local.fetchSockets() : []) {
      if ((socket.data as SocketIdentity).sessionHash === sessionHash) socket.disconnect(true);
    }
    for (const stream of this.streams) if (stream.sessionHash === sessionHash) stream.close();
  }

  async sweep() {
    if (this.running) return;
    this.running = true;
    try {
      const server = this.realtime.socketServer;
      const sockets = server ? await server.local.fetchSockets() : [];
      const identities = [...sockets.map((s) => s.data as SocketIdentity), ...this.streams].filter((i) => i?.sessionHash);
      const valid = await this.sessions.stillValid([...new Set(identities.map((i) => i.sessionHash))]);
      for (const socket of sockets) {
        const identity = socket.data as SocketIdentity;
        if (!valid.has(identity.sessionHash)) {
          socket.disconnect(true);
          continue;
        }
        for (const room of socket.rooms) {
          if (!room.startsWith(TICKET_ROOM_PREFIX)) continue;
          const ticketId = room.slice(TICKET_ROOM_PREFIX.length);
          if (!(await this.tickets.canView(identity.user, ticketId))) socket.leave(room);
        }
      }
      for (const stream of this.streams) {
        if (!valid.has(stream.sessionHash) || !(await this.tickets.canView(stream.user, stream.ticketId))) stream.close();
      }
    } catch (err) {
      this.logger.warn(`revalidation skipped: ${String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
