/**
 * Server-Sent Events: `GET /api/tickets/:id/events/stream`. The same ordered event log as
 * every other transport: replay after `Last-Event-ID` (= seq) or `?after=`, then live
 * events, each written only in seq order (a gap is filled from the database), with
 * heartbeat comments so proxies keep the connection open. Works with `curl -N`.
 */
import { BadRequestException, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { eventsQuerySchema, ticketIdSchema, type TicketEventDto, type UserDto } from '@signoff/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { hashToken } from '../auth/auth.service';
import type { AuthedRequest } from '../auth/auth.types';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiSession, ApiZodParam } from '../openapi/decorators';
import { TicketsService } from '../tickets/tickets.service';
import { LiveConnections } from './live-connections';
import { RealtimePublisher } from './realtime.publisher';

const frame = (event: TicketEventDto) => `id: ${event.seq}\nevent: ticket:event\ndata: ${JSON.stringify(event)}\n\n`;

function startingSeq(lastEventId: string | undefined, after: number): number {
  if (lastEventId === undefined) return after;
  if (!/^\d{1,9}$/.test(lastEventId.trim())) throw new BadRequestException('Last-Event-ID: must be a sequence number (0 or more).');
  return Number(lastEventId.trim());
}

@ApiTags('tickets')
@ApiSession()
@Controller('tickets')
export class TicketStreamController {
  constructor(
    @Inject(TicketsService) private readonly tickets: TicketsService,
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
    @Inject(LiveConnections) private readonly connections: LiveConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id/events/stream')
  @ApiOperation({
    summary: "The ticket's events as Server-Sent Events",
    description:
      'Replays events after `Last-Event-ID` (or `?after=`), then streams live ones; `id:` is the seq. Heartbeat comments keep it open.',
  })
  @ApiProduces('text/event-stream')
  @ApiZodParam('id', ticketIdSchema)
  @ApiErrors({ 400: 'Bad id, `after` or Last-Event-ID.', 403: 'You may not view this ticket.', 404: 'No such ticket.' })
  async stream(
    @CurrentUser() user: UserDto,
    @Param('id', new ZodPipe(ticketIdSchema, 'id')) ticketId: string,
    @Query(new ZodPipe(eventsQuerySchema)) query: { after: number },
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ) {
    let last = startingSeq(req.header('last-event-id'), query.after);
    // Access is checked (403/404 as JSON) before the stream starts.
    const backlog = await this.tickets.events(user, ticketId, last);

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    let closed = false;
    let chain = Promise.resolve();
    const write = (event: TicketEventDto) => {
      if (closed || event.seq !== last + 1) return;
      res.write(frame(event));
      last = event.seq;
    };
    /** Reads the log after `last` until nothing is left. */
    const catchUp = async () => {
      let page: TicketEventDto[];
      do {
        page = await this.tickets.events(user, ticketId, last);
        page.forEach(write);
      } while (page.length > 0 && !closed);
    };
    /** Writes live events strictly in seq order; a gap is filled from the log first. */
    const deliver = (event: TicketEventDto) => {
      chain = chain
        .then(async () => {
          if (closed || event.seq <= last) return;
          if (event.seq > last + 1) await catchUp();
          write(event);
        })
        .catch(() => close());
    };

    const unsubscribe = this.realtime.onTicketEvent((event) => event.ticketId === ticketId && deliver(event));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.config.SSE_HEARTBEAT_MS);
    const unregister = this.connections.addStream({ user, sessionHash: hashToken(req.sessionToken), ticketId, close: () => close() });
    function close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      unregister();
      res.end();
    }
    req.on('close', close);

    backlog.forEach(write);
    // Subscribed now: whatever committed since the backlog was read comes from the log.
    chain = chain.then(catchUp).catch(() => close());
  }
}
