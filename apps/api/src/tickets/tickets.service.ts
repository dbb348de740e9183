/** Reading, starting, discussing and urging tickets. Every method checks access first. */
import { BadRequestException, ForbiddenException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  fieldValuesSchema,
  userRoom,
  type Box,
  type CreateTicketInput,
  type FieldValues,
  type RoutePreviewDto,
  type RoutePreviewInput,
  type TicketDetailDto,
  type TicketEventDto,
  type TicketSummaryDto,
  type UserDto,
} from '@signoff/contracts';
import { parseOrThrow } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { TemplatesRepository } from '../templates/templates.repository';
import { UsersRepository } from '../users/users.repository';
import { ApproverResolver } from './approver-resolver';
import { RoutePlanner } from './route-planner';
import { refsFrom, toDetail, toFlowDto, toRuleNotes, userIdsOf } from './ticket.mapper';
import { TicketChangePublisher } from './ticket-publisher';
import { refusal } from './ticket-refusals';
import { TicketsRepository, type LoadedTicket } from './tickets.repository';

@Injectable()
export class TicketsService {
  constructor(
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
    @Inject(TemplatesRepository) private readonly templates: TemplatesRepository,
    @Inject(RoutePlanner) private readonly planner: RoutePlanner,
    @Inject(ApproverResolver) private readonly resolver: ApproverResolver,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TicketChangePublisher) private readonly publisher: TicketChangePublisher,
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Requester, anyone who holds or held a task, users copied, and admins may see a ticket. */
  async canView(user: UserDto, ticketId: string): Promise<boolean> {
    return user.role === 'admin' || this.tickets.isParticipant(ticketId, user.id);
  }

  async assertCanView(user: UserDto, ticketId: string) {
    if (!(await this.tickets.exists(ticketId))) throw refusal('ticket_not_found');
    if (!(await this.canView(user, ticketId))) throw new ForbiddenException('You may not view this ticket.');
  }

  async get(user: UserDto, ticketId: string): Promise<TicketDetailDto> {
    await this.assertCanView(user, ticketId);
    const loaded = await this.tickets.load(ticketId);
    if (!loaded) throw refusal('ticket_not_found');
    return toDetail(loaded, user.id);
  }

  async list(user: UserDto, box: Box): Promise<TicketSummaryDto[]> {
    if (box === 'all' && user.role !== 'admin') throw new ForbiddenException('box=all is for admins.');
    const ids = await this.tickets.idsForBox(box, user.id);
    const loaded = await Promise.all(ids.map((id) => this.tickets.load(id)));
    return loaded
      .filter((l): l is LoadedTicket => l !== null)
      .map((l) => ({ ticket: l.snapshot.ticket, activeStep: l.snapshot.flow.steps.find((s) => s.status === 'active') ?? null }));
  }

  private async templateAndFields(templateKey: string, rawFields: unknown) {
    const template = await this.templates.findLatest(templateKey);
    if (!template) throw new BadRequestException(`templateKey: no template "${templateKey}".`);
    const fields = parseOrThrow(fieldValuesSchema(template.fields), rawFields, 'fields') as FieldValues;
    return { template, fields };
  }

  async create(user: UserDto, input: CreateTicketInput): Promise<TicketDetailDto> {
    const { template, fields } = await this.templateAndFields(input.templateKey, input.fields);
    const at = new Date();
    const route = await this.planner.plan(template, user, fields, input.approvers, at);
    const change = await this.tickets.create({
      templateId: template.id,
      requesterId: user.id,
      title: input.title,
      fields,
      start: route.transition,
      ccUserIds: await this.resolver.activeIdsByEmail(template.cc?.atStart ?? []),
      ccAtFinishUserIds:
        route.transition.flow.status === 'pending' ? [] : await this.resolver.activeIdsByEmail(template.cc?.atFinish ?? []),
      extraNotes: route.delegationNotes,
      at,
    });
    await this.publisher.publish(change);
    return this.get(user, change.event.ticketId);
  }

  /** The route a ticket would take, drawn from the same plan as a real one; nothing is written. */
  async preview(user: UserDto, templateKey: string, input: RoutePreviewInput): Promise<RoutePreviewDto> {
    const { template, fields } = await this.templateAndFields(templateKey, input.fields);
    const route = await this.planner.plan(template, user, fields, input.approvers, new Date());
    const { flow, notes } = route.transition;
    const noted = notes.flatMap((n) => ('userId' in n ? [n.userId] : []));
    const ref = refsFrom(await this.users.findByIds([...userIdsOf(user.id, flow), ...noted]));
    return {
      flow: toFlowDto(flow, ref),
      status: flow.status === 'pending' ? 'pending' : flow.status,
      notes: [...toRuleNotes(notes, ref), ...route.delegationNotes],
    };
  }

  async events(user: UserDto, ticketId: string, after: number): Promise<TicketEventDto[]> {
    await this.assertCanView(user, ticketId);
    return this.tickets.eventsAfter(ticketId, after);
  }

  async comment(user: UserDto, ticketId: string, body: string): Promise<TicketEventDto> {
    await this.assertCanView(user, ticketId);
    const event = await this.tickets.appendComment(ticketId, user.id, body, new Date());
    if (!event) throw refusal('ticket_not_found');
    this.realtime.publishTicketEvent(event);
    return event;
  }

  /** The requester (or an admin) nudges the people holding active tasks (催办), at most once per interval. */
  async urge(user: UserDto, ticketId: string): Promise<TicketEventDto> {
    await this.assertCanView(user, ticketId);
    const loaded = await this.tickets.load(ticketId);
    if (!loaded) throw refusal('ticket_not_found');
    if (loaded.entity.requesterId !== user.id && user.role !== 'admin')
      throw new ForbiddenException('Only the requester may urge this ticket.');
    if (loaded.flow.status !== 'pending') throw refusal('ticket_closed');
    const result = await this.tickets.appendUrge(ticketId, user.id, new Date(), this.config.URGE_INTERVAL_MINUTES * 60_000);
    if ('retryAfterMs' in result) {
      const minutes = Math.ceil(result.retryAfterMs / 60_000);
      throw new HttpException(
        `The approvers were urged recently; you can urge again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.realtime.publishTicketEvent(result.event);
    const holders = new Set(loaded.flow.steps.flatMap((s) => s.tasks.filter((t) => t.status === 'active').map((t) => t.assigneeId)));
    const urged = { ticketId, title: loaded.entity.title, by: result.event.actor!, at: result.event.at };
    for (const id of holders) this.realtime.send('ticket:urged', userRoom(id), urged);
    return result.event;
  }
}
