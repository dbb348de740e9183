import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { randomUUID } from 'node:crypto';
import {
  fieldValuesSchema,
  ticketRoom,
  userRoom,
  type Box,
  type BulkDecisionInput,
  type BulkDecisionResponse,
  type BulkDecisionResult,
  type CreateTicketInput,
  type DecisionInput,
  type FieldValues,
  type TicketDetailDto,
  type TicketEventDto,
  type TicketSummaryDto,
  type UserDto,
} from '@signoff/contracts';
import { canDecide, decide, startFlow, type Refusal } from '@signoff/workflow';
import { StatsService } from '../admin/stats.service';
import { parseOrThrow } from '../common/validation';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { TemplatesRepository } from '../templates/templates.repository';
import { ApproverResolver } from './approver-resolver';
import { TicketsRepository, type CommittedChange, type LoadedTicket } from './tickets.repository';

const REFUSALS: Record<Refusal | 'ticket_not_found', () => Error> = {
  ticket_not_found: () => new NotFoundException('No such ticket.'),
  step_not_found: () => new NotFoundException('stepId: no such step on this ticket.'),
  not_approver: () => new ForbiddenException('You are not an approver of this step.'),
  step_not_active: () => new ConflictException('This step is not waiting for a decision (it may have just been decided).'),
  ticket_closed: () => new ConflictException('This ticket is already finished.'),
};

@Injectable()
export class TicketsService {
  constructor(
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
    @Inject(TemplatesRepository) private readonly templates: TemplatesRepository,
    @Inject(ApproverResolver) private readonly approvers: ApproverResolver,
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Requester, approvers of any step, and admins may see a ticket. */
  async canView(user: UserDto, ticketId: string): Promise<boolean> {
    return user.role === 'admin' || this.tickets.isParticipant(ticketId, user.id);
  }

  private async assertCanView(user: UserDto, ticketId: string) {
    if (!(await this.tickets.exists(ticketId))) throw REFUSALS.ticket_not_found();
    if (!(await this.canView(user, ticketId))) throw new ForbiddenException('You may not view this ticket.');
  }

  private detail(loaded: LoadedTicket, user: UserDto): TicketDetailDto {
    return {
      ...loaded.snapshot,
      seq: loaded.snapshot.ticket.seq,
      actionableStepIds: loaded.flow.steps.filter((s) => canDecide(loaded.flow, s.id, user.id)).map((s) => s.id),
    };
  }

  async get(user: UserDto, ticketId: string): Promise<TicketDetailDto> {
    await this.assertCanView(user, ticketId);
    const loaded = await this.tickets.load(ticketId);
    if (!loaded) throw REFUSALS.ticket_not_found();
    return this.detail(loaded, user);
  }

  async list(user: UserDto, box: Box): Promise<TicketSummaryDto[]> {
    if (box === 'all' && user.role !== 'admin') throw new ForbiddenException('box=all is for admins.');
    const ids = await this.tickets.idsForBox(box, user.id);
    const loaded = await Promise.all(ids.map((id) => this.tickets.load(id)));
    return loaded
      .filter((l): l is LoadedTicket => l !== null)
      .map((l) => ({ ticket: l.snapshot.ticket, activeStep: l.snapshot.flow.steps.find((s) => s.status === 'active') ?? null }));
  }

  async create(user: UserDto, input: CreateTicketInput): Promise<TicketDetailDto> {
    const template = await this.templates.findLatest(input.templateKey);
    if (!template) throw new BadRequestException(`templateKey: no template "${input.templateKey}".`);
    const fields = parseOrThrow(fieldValuesSchema(template.fields), input.fields, 'fields') as FieldValues;
    const stages = await Promise.all(
      template.stages.map(async (stage) => ({
        id: randomUUID(),
        key: stage.key,
        name: stage.name,
        mode: stage.mode,
        approverIds: await this.approvers.resolve(stage.approver, user),
      })),
    );
    if (stages.some((s) => s.approverIds.length === 0)) {
      throw new ConflictException('Nobody can approve a stage of this template (no approver and no admin); ask an admin.');
    }
    const change = await this.tickets.create({
      templateId: template.id,
      requesterId: user.id,
      title: input.title,
      fields,
      start: startFlow(stages),
      at: new Date(),
    });
    await this.publish(change);
    return this.get(user, change.event.ticketId);
  }

  async decide(user: UserDto, ticketId: string, input: DecisionInput): Promise<TicketDetailDto> {
    // Access first, on a plain read: who may act is decided before what state the step is in.
    const current = await this.tickets.load(ticketId);
    if (!current) throw REFUSALS.ticket_not_found();
    const step = current.flow.steps.find((s) => s.id === input.stepId);
    if (!step) throw REFUSALS.step_not_found();
    if (!step.approverIds.includes(user.id)) throw REFUSALS.not_approver();

    const command = {
      stepId: input.stepId,
      actorId: user.id,
      decision: input.decision,
      comment: input.comment || null,
      at: new Date().toISOString(),
    };
    const result = await this.tickets.applyDecision(ticketId, command, (flow) => decide(flow, command));
    if (!result.ok) throw REFUSALS[result.refusal]();
    await this.publish(result.value);
    return this.get(user, ticketId);
  }

  async events(user: UserDto, ticketId: string, after: number): Promise<TicketEventDto[]> {
    await this.assertCanView(user, ticketId);
    return this.tickets.eventsAfter(ticketId, after);
  }

  /** Each ticket in its own transaction: one refusal never undoes another ticket's decision. */
  async bulkDecide(user: UserDto, input: BulkDecisionInput): Promise<BulkDecisionResponse> {
    const results: BulkDecisionResult[] = [];
    for (const { ticketId, stepId } of input.items) {
      try {
        const detail = await this.decide(user, ticketId, { stepId, decision: input.decision, comment: input.comment });
        results.push({ ticketId, stepId, ok: true, status: detail.ticket.status });
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        results.push({ ticketId, stepId, ok: false, statusCode: err.getStatus(), message: err.message });
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { succeeded, failed: results.length - succeeded, results };
  }

  /** The requester (or an admin) nudges the approvers of the active step (催办), at most once per interval. */
  async urge(user: UserDto, ticketId: string): Promise<TicketEventDto> {
    await this.assertCanView(user, ticketId);
    const loaded = await this.tickets.load(ticketId);
    if (!loaded) throw REFUSALS.ticket_not_found();
    if (loaded.entity.requesterId !== user.id && user.role !== 'admin')
      throw new ForbiddenException('Only the requester may urge this ticket.');
    if (loaded.flow.status !== 'pending') throw REFUSALS.ticket_closed();
    const result = await this.tickets.appendUrge(ticketId, user.id, new Date(), this.config.URGE_INTERVAL_MINUTES * 60_000);
    if ('retryAfterMs' in result) {
      const minutes = Math.ceil(result.retryAfterMs / 60_000);
      throw new HttpException(
        `The approvers were urged recently; you can urge again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.realtime.publishTicketEvent(result.event);
    const approverIds = new Set(loaded.flow.steps.filter((s) => s.status === 'active').flatMap((s) => s.approverIds));
    const urged = { ticketId, title: loaded.entity.title, by: result.event.actor!, at: result.event.at };
    for (const id of approverIds) this.realtime.send('ticket:urged', userRoom(id), urged);
    return result.event;
  }

  async comment(user: UserDto, ticketId: string, body: string): Promise<TicketEventDto> {
    await this.assertCanView(user, ticketId);
    const event = await this.tickets.appendComment(ticketId, user.id, body, new Date());
    if (!event) throw REFUSALS.ticket_not_found();
    this.realtime.publishTicketEvent(event);
    return event;
  }

  /** After commit only: the ticket's room gets the event, changed inboxes their new count, admins new figures. */
  private async publish(change: CommittedChange) {
    this.realtime.publishTicketEvent(change.event);
    this.stats.changed();
    await Promise.all(
      change.transition.inboxChangedFor.map(async (userId) =>
        this.realtime.send('inbox:changed', userRoom(userId), { count: await this.tickets.countTodo(userId) }),
      ),
    );
  }
}
