import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  addSignerSchema,
  resubmitSchema,
  returnSchema,
  transferSchema,
  withdrawSchema,
  type AddSignerInput,
  type ResubmitInput,
  type ReturnInput,
  type TransferInput,
  type WithdrawInput,
  bulkDecisionSchema,
  commentSchema,
  createTicketSchema,
  decisionSchema,
  eventsQuerySchema,
  ticketIdSchema,
  ticketListQuerySchema,
  type BulkDecisionInput,
  type CommentInput,
  type CreateTicketInput,
  type DecisionInput,
  type UserDto,
} from '@signoff/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiResult, ApiSession, ApiZodBody, ApiZodParam, ApiZodQuery } from '../openapi/decorators';
import { TicketActionsService } from './ticket-actions.service';
import { TicketsService } from './tickets.service';

const TicketId = () => Param('id', new ZodPipe(ticketIdSchema, 'id'));

@ApiTags('tickets')
@ApiSession()
@Controller('tickets')
export class TicketsController {
  constructor(
    @Inject(TicketsService) private readonly tickets: TicketsService,
    @Inject(TicketActionsService) private readonly actions: TicketActionsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Tickets in a box',
    description: '`mine`: submitted by me; `todo`: waiting for my decision; `all`: every ticket (admins).',
  })
  @ApiZodQuery(ticketListQuerySchema)
  @ApiResult(200, 'The tickets, each with its active step.', ['TicketSummary'])
  @ApiErrors({ 400: 'Bad query; the message names it.', 403: '`box=all` is for admins.' })
  list(@CurrentUser() user: UserDto, @Query(new ZodPipe(ticketListQuerySchema)) query: { box: 'mine' | 'todo' | 'all' }) {
    return this.tickets.list(user, query.box);
  }

  @Post()
  @ApiOperation({
    summary: 'Submit a ticket from a template',
    description: "`fields` is checked against the template's field definitions.",
  })
  @ApiZodBody(createTicketSchema)
  @ApiResult(201, 'The new ticket with its flow.', 'TicketDetail')
  @ApiErrors({
    400: 'Malformed body, unknown template or invalid fields; the message names each field.',
    409: 'A stage of the template has nobody to approve it.',
  })
  create(@CurrentUser() user: UserDto, @Body(new ZodPipe(createTicketSchema)) body: CreateTicketInput) {
    return this.tickets.create(user, body);
  }

  @Post('bulk-decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or reject many tickets at once',
    description: 'Each ticket is decided in its own transaction; the answer says, per ticket, what succeeded and what failed and why.',
  })
  @ApiZodBody(bulkDecisionSchema)
  @ApiResult(200, 'Per-ticket outcomes.', 'BulkDecisionResponse')
  @ApiErrors({ 400: 'Malformed body; the message names each field.' })
  bulkDecide(@CurrentUser() user: UserDto, @Body(new ZodPipe(bulkDecisionSchema)) body: BulkDecisionInput) {
    return this.actions.bulkDecide(user, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A ticket, its flow and its newest `seq`' })
  @ApiZodParam('id', ticketIdSchema)
  @ApiResult(200, 'The ticket snapshot.', 'TicketDetail')
  @ApiErrors({ 400: 'Not a ticket id.', 403: 'You may not view this ticket.', 404: 'No such ticket.' })
  get(@CurrentUser() user: UserDto, @TicketId() id: string) {
    return this.tickets.get(user, id);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or reject the active step',
    description: 'Only an approver of the step may decide it; exactly one decision per step wins.',
  })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(decisionSchema)
  @ApiResult(200, 'Decision recorded; the ticket after it.', 'TicketDetail')
  @ApiErrors({
    400: 'Malformed body; the message names each field.',
    403: 'You are not an approver of this step.',
    404: 'No such ticket, or no such step on it.',
    409: 'The step is no longer waiting for a decision, or the ticket is finished.',
  })
  decide(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(decisionSchema)) body: DecisionInput) {
    return this.actions.decide(user, id, body);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "The ticket's ordered events after a sequence number",
    description: 'For polling and catching up after a gap (`?after=lastSeq`).',
  })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodQuery(eventsQuerySchema)
  @ApiResult(200, 'Events with `seq > after`, in order.', ['TicketEvent'])
  @ApiErrors({ 400: 'Bad id or `after`.', 403: 'You may not view this ticket.', 404: 'No such ticket.' })
  events(@CurrentUser() user: UserDto, @TicketId() id: string, @Query(new ZodPipe(eventsQuerySchema)) query: { after: number }) {
    return this.tickets.events(user, id, query.after);
  }

  @Post(':id/comments')
  @ApiOperation({
    summary: "Add a message to the ticket's discussion",
    description: 'Appends a `comment.added` event (next `seq`) that every transport delivers like any other event.',
  })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(commentSchema)
  @ApiResult(201, 'The comment event.', 'TicketEvent')
  @ApiErrors({ 400: 'Empty or too long; the message says which.', 403: 'You may not view this ticket.', 404: 'No such ticket.' })
  comment(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(commentSchema)) body: CommentInput) {
    return this.tickets.comment(user, id, body.body);
  }

  @Post(':id/urge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Urge (催办) the approvers of the active step',
    description: 'Requester or admin; at most once per URGE_INTERVAL_MINUTES per ticket.',
  })
  @ApiZodParam('id', ticketIdSchema)
  @ApiResult(200, 'The urge event.', 'TicketEvent')
  @ApiErrors({ 403: 'Only the requester may urge.', 404: 'No such ticket.', 409: 'The ticket is finished.', 429: 'Urged too recently.' })
  urge(@CurrentUser() user: UserDto, @TicketId() id: string) {
    return this.tickets.urge(user, id);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Return (退回) the ticket to the requester or to an earlier stage',
    description: 'By someone holding an active task on the step.',
  })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(returnSchema)
  @ApiResult(200, 'The ticket after the return.', 'TicketDetail')
  @ApiErrors({
    400: 'Bad body, missing comment or bad target.',
    403: 'Not an approver of this step.',
    404: 'No such ticket or step.',
    409: 'Not your turn, or the ticket is finished.',
  })
  returnTo(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(returnSchema)) body: ReturnInput) {
    return this.actions.returnTo(user, id, body);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resubmit a returned ticket, optionally with edited title and fields', description: 'Requester only.' })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(resubmitSchema)
  @ApiResult(200, 'The ticket, running again.', 'TicketDetail')
  @ApiErrors({
    400: 'Bad fields; the message names each.',
    403: 'Only the requester.',
    404: 'No such ticket.',
    409: 'The ticket is not returned.',
  })
  resubmit(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(resubmitSchema)) body: ResubmitInput) {
    return this.actions.resubmit(user, id, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw (撤回) an unfinished ticket', description: 'Requester only; open tasks close.' })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(withdrawSchema)
  @ApiResult(200, 'The withdrawn ticket.', 'TicketDetail')
  @ApiErrors({ 403: 'Only the requester.', 404: 'No such ticket.', 409: 'The ticket is finished.' })
  withdraw(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(withdrawSchema)) body: WithdrawInput) {
    return this.actions.withdraw(user, id, body);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer (转交) your active task to someone else' })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(transferSchema)
  @ApiResult(200, 'The ticket after the transfer.', 'TicketDetail')
  @ApiErrors({
    400: 'Unknown user, yourself, or already on the step.',
    403: 'Not an approver of this step.',
    404: 'No such ticket or step.',
    409: 'Your task is not active.',
  })
  transfer(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(transferSchema)) body: TransferInput) {
    return this.actions.transfer(user, id, body);
  }

  @Post(':id/signers')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a signer (加签) before or after you on this step' })
  @ApiZodParam('id', ticketIdSchema)
  @ApiZodBody(addSignerSchema)
  @ApiResult(200, 'The ticket with the added signer.', 'TicketDetail')
  @ApiErrors({
    400: 'Unknown user, yourself, or already on the step.',
    403: 'Not an approver of this step.',
    404: 'No such ticket or step.',
    409: 'Your task is not active.',
  })
  addSigner(@CurrentUser() user: UserDto, @TicketId() id: string, @Body(new ZodPipe(addSignerSchema)) body: AddSignerInput) {
    return this.actions.addSigner(user, id, body);
  }
}
