import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { createTicketSchema, decisionSchema, eventsQuerySchema, ticketIdSchema, ticketListQuerySchema, type CreateTicketInput, type DecisionInput, type UserDto } from '@signoff/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/validation';
import { TicketsService } from './tickets.service';

const TicketId = () => Param('id', new ZodPipe(ticketIdSchema, 'id'));

@Controller('tickets')
export class TicketsController {
  constructor(@Inject(TicketsService) private readonly tickets: TicketsService) {}

  @Get()
  list(@CurrentUser() user: UserDto, @Query(new ZodPipe(ticketListQuerySchema)) query: { box: 'mine' | 'todo' | 'all' }) {
    return this.tickets.list(user, query.box);
  }

  @Post()
  create(@CurrentUser() user: UserDto, @Body(new ZodPipe(createTicketSchema)) body: CreateTicketInput) {
    return this.tickets.create(user, body);
  }

  @Get(':id')
  get(@CurrentUser() user: UserDto, @TicketId() id: string) {
    return this.tickets.get(user, id);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  decide(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(decisionSchema)) body: DecisionInput) {
    return this.tickets.decide(user, id, body);
  }

  @Get(':id/events')
  events(@CurrentUser() user: UserDto, @TicketId() id: string, @Query(new ZodPipe(eventsQuerySchema)) query: { after: number }) {
    return this.tickets.events(user, id, query.after);
  }
}
