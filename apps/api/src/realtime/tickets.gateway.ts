/**
 * Socket.IO entry point: authenticates the handshake, puts each socket in its user's
 * room (and admins in the admin room), lets authorised viewers watch a ticket with replay
 * of missed events, and tells a ticket's viewers who else is looking.
 */
import { HttpException, Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  ADMIN_ROOM,
  describeZodError,
  ticketRoom,
  unwatchRequestSchema,
  userRoom,
  watchRequestSchema,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type UserRef,
  type WatchAck,
} from '@signoff/contracts';
import { AuthService, hashToken } from '../auth/auth.service';
import { tokenFrom } from '../auth/token-from';
import { TicketsService } from '../tickets/tickets.service';
import type { SocketIdentity } from './live-connections';
import { RealtimePublisher, type TypedServer } from './realtime.publisher';

type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketIdentity>;
const TICKET_ROOM_PREFIX = ticketRoom('');

@WebSocketGateway()
export class TicketsGateway implements OnGatewayInit, OnGatewayConnection {
  @WebSocketServer() server!: TypedServer;
  private readonly logger = new Logger(TicketsGateway.name);

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(TicketsService) private readonly tickets: TicketsService,
    @Inject(RealtimePublisher) private readonly publisher: RealtimePublisher,
  ) {}

  afterInit(server: TypedServer) {
    this.publisher.attach(server);
    server.use((socket, next) => {
      const token = tokenFrom(socket.handshake.headers, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
      this.auth
        .userForToken(token)
        .then((user) => {
          if (!user || !token) return next(new Error('unauthorized'));
          Object.assign(socket.data as SocketIdentity, { user, sessionHash: hashToken(token) });
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
  }

  async handleConnection(socket: TypedSocket) {
    const { user } = socket.data;
    await socket.join(user.role === 'admin' ? [userRoom(user.id), ADMIN_ROOM] : [userRoom(user.id)]);
    socket.on('disconnecting', () => {
      const watched = [...socket.rooms].filter((r) => r.startsWith(TICKET_ROOM_PREFIX));
      // After the socket has left its rooms, tell the remaining viewers.
      setImmediate(() => watched.forEach((room) => void this.announcePresence(room.slice(TICKET_ROOM_PREFIX.length))));
    });
  }

  @SubscribeMessage('ticket:watch')
  async watch(@ConnectedSocket() socket: TypedSocket, @MessageBody() body: unknown): Promise<WatchAck> {
    const parsed = watchRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
    const { ticketId, afterSeq } = parsed.data;
    const user = socket.data.user;
    try {
      if (!(await this.tickets.canView(user, ticketId))) return { ok: false, error: 'forbidden: you may not view this ticket' };
      // Join first, then replay: an event committed in between arrives twice at worst,
      // and the client drops what it already has by seq.
      await socket.join(ticketRoom(ticketId));
      if (afterSeq !== undefined) {
        for (const event of await this.tickets.events(user, ticketId, afterSeq)) socket.emit('ticket:event', event);
      }
      const { seq } = await this.tickets.get(user, ticketId);
      void this.announcePresence(ticketId);
      return { ok: true, seq };
    } catch (err) {
      this.logger.warn(`watch ${ticketId} failed: ${String(err)}`);
      await socket.leave(ticketRoom(ticketId));
      return { ok: false, error: err instanceof HttpException ? err.message : 'watch failed; please retry' };
    }
  }

  @SubscribeMessage('ticket:unwatch')
  async unwatch(@ConnectedSocket() socket: TypedSocket, @MessageBody() body: unknown): Promise<Ack<object>> {
    const parsed = unwatchRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
    await socket.leave(ticketRoom(parsed.data.ticketId));
    void this.announcePresence(parsed.data.ticketId);
    return { ok: true };
  }

  /** Sends the distinct users watching a ticket, on every instance, to its room. */
  private async announcePresence(ticketId: string) {
    try {
      const sockets = await this.server.in(ticketRoom(ticketId)).fetchSockets();
      const viewers = new Map<string, UserRef>();
      for (const s of sockets) {
        const { user } = s.data as SocketIdentity;
        if (user) viewers.set(user.id, { id: user.id, name: user.name, email: user.email });
      }
      this.publisher.send('presence:changed', ticketRoom(ticketId), { ticketId, viewers: [...viewers.values()] });
    } catch (err) {
      this.logger.warn(`presence for ${ticketId} not sent: ${String(err)}`);
    }
  }
}
