/**
 * Socket.IO entry point: authenticates the handshake, puts each socket in its user's
 * room, and lets authorised viewers watch a ticket with replay of missed events.
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
  describeZodError,
  ticketRoom,
  unwatchRequestSchema,
  userRoom,
  watchRequestSchema,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type UserDto,
  type WatchAck,
} from '@signoff/contracts';
import { AuthService } from '../auth/auth.service';
import { tokenFrom } from '../auth/token-from';
import { TicketsService } from '../tickets/tickets.service';
import { RealtimePublisher, type TypedServer } from './realtime.publisher';

interface SocketData {
  user: UserDto;
}
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
          if (!user) return next(new Error('unauthorized'));
          (socket.data as SocketData).user = user;
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
  }

  async handleConnection(socket: TypedSocket) {
    await socket.join(userRoom(socket.data.user.id));
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
    return { ok: true };
  }
}
