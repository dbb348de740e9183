/**
 * What people do to a running ticket: decide, return, resubmit, withdraw, transfer, add
 * a signer, and decide many at once. Each checks access first, then runs one engine
 * transition under the ticket's row lock (see TicketsRepository.applyAction); a refusal
 * writes nothing, and events are published only after COMMIT.
 */
import { BadRequestException, HttpException, Inject, Injectable } from '@nestjs/common';
import {
  fieldValuesSchema,
  type AddSignerInput,
  type BulkDecisionInput,
  type BulkDecisionResponse,
  type BulkDecisionResult,
  type DecisionInput,
  type FieldValues,
  type ResubmitInput,
  type ReturnInput,
  type TicketDetailDto,
  type TransferInput,
  type UserDto,
  type WithdrawInput,
} from '@signoff/contracts';
import {
  addSigner,
  decideTask,
  resubmit,
  returnTicket,
  transferTask,
  withdraw,
  type ActionResult,
  type ApprovalTransition,
} from '@signoff/workflow';
import { parseOrThrow } from '../common/validation';
import { UsersRepository } from '../users/users.repository';
import { ApproverResolver } from './approver-resolver';
import { RoutePlanner } from './route-planner';
import { toDetail } from './ticket.mapper';
import { TicketChangePublisher } from './ticket-publisher';
import { refusal } from './ticket-refusals';
import { TicketsRepository, type ActionMeta, type LoadedTicket } from './tickets.repository';
import { TicketsService } from './tickets.service';

type Compute = (loaded: LoadedTicket, at: string) => ActionResult<ApprovalTransition>;

@Injectable()
export class TicketActionsService {
  constructor(
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
    @Inject(TicketsService) private readonly reader: TicketsService,
    @Inject(ApproverResolver) private readonly resolver: ApproverResolver,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TicketChangePublisher) private readonly publisher: TicketChangePublisher,
    @Inject(RoutePlanner) private readonly planner: RoutePlanner,
  ) {}

  /** Access first, on a plain read: who may act is decided before what state the step is in. */
  private async assertHoldsTaskOn(user: UserDto, ticketId: string, stepId: string) {
    const current = await this.tickets.load(ticketId);
    if (!current) throw refusal('ticket_not_found');
    const step = current.flow.steps.find((s) => s.id === stepId);
    if (!step) throw refusal('step_not_found');
    if (!step.tasks.some((t) => t.assigneeId === user.id)) throw refusal('not_approver');
  }

  private async run(
    user: UserDto,
    ticketId: string,
    compute: Compute,
    meta: (t: ApprovalTransition, l: LoadedTicket) => Omit<ActionMeta, 'at'>,
  ) {
    const at = new Date();
    const result = await this.tickets.applyAction(
      ticketId,
      (loaded) => compute(loaded, at.toISOString()),
      (transition, loaded) => ({ ...meta(transition, loaded), at }),
      (loaded) => this.resolver.activeIdsByEmail(loaded.template.cc?.atFinish ?? []),
    );
    if (!result.ok) throw refusal(result.refusal);
    await this.publisher.publish(result.value);
    const after = await this.tickets.load(ticketId);
    return toDetail(after!, user.id);
  }

  /** The approvers the requester picked at submission, read back off the flow (stages with rule requesterPick). */
  private static picksOf(loaded: LoadedTicket): Record<string, string[]> | undefined {
    const picks: Record<string, string[]> = {};
    for (const stage of loaded.template.stages) {
      if (stage.approver.kind !== 'requesterPick') continue;
      const tasks = loaded.flow.steps.find((s) => s.key === stage.key)?.tasks.filter((t) => !t.addedBy) ?? [];
      const chosen = [...new Set(tasks.map((t) => t.onBehalfOf ?? t.assigneeId))];
      if (chosen.length) picks[stage.key] = chosen;
    }
    return Object.keys(picks).length ? picks : undefined;
  }

  /** The actor's own open task on a step, for on-behalf-of and the decision row. */
  private static taskOf(loaded: LoadedTicket, stepId: string, userId: string) {
    return loaded.flow.steps.find((s) => s.id === stepId)?.tasks.find((t) => t.assigneeId === userId && t.status === 'active');
  }

  async decide(user: UserDto, ticketId: string, input: DecisionInput): Promise<TicketDetailDto> {
    await this.assertHoldsTaskOn(user, ticketId, input.stepId);
    const comment = input.comment || null;
    return this.run(
      user,
      ticketId,
      (loaded, at) => decideTask(loaded.flow, { stepId: input.stepId, actorId: user.id, decision: input.decision, comment, at }),
      (_t, loaded) => {
        const task = TicketActionsService.taskOf(loaded, input.stepId, user.id)!;
        return {
          actorId: user.id,
          onBehalfOf: task.onBehalfOf ?? null,
          comment,
          decision: { taskId: task.id, stepId: input.stepId, decision: input.decision },
        };
      },
    );
  }

  async returnTo(user: UserDto, ticketId: string, input: ReturnInput): Promise<TicketDetailDto> {
    await this.assertHoldsTaskOn(user, ticketId, input.stepId);
    const comment = input.comment || null;
    const to = input.to === 'requester' ? ('requester' as const) : { stepId: input.to };
    return this.run(
      user,
      ticketId,
      (loaded, at) => returnTicket(loaded.flow, { stepId: input.stepId, to, actorId: user.id, comment, at }),
      (_t, loaded) => ({
        actorId: user.id,
        onBehalfOf: TicketActionsService.taskOf(loaded, input.stepId, user.id)?.onBehalfOf ?? null,
        comment,
      }),
    );
  }

  /** The requester sends a returned ticket round again, optionally with edited title and fields. */
  async resubmit(user: UserDto, ticketId: string, input: ResubmitInput): Promise<TicketDetailDto> {
    await this.reader.assertCanView(user, ticketId);
    const current = await this.tickets.load(ticketId);
    if (!current) throw refusal('ticket_not_found');
    if (current.entity.requesterId !== user.id) throw refusal('not_requester');
    const fields = input.fields
      ? (parseOrThrow(fieldValuesSchema(current.template.fields), input.fields, 'fields') as FieldValues)
      : undefined;
    const comment = input.comment || null;
    // Edited fields may take other branches: route them afresh, as a new submission would.
    const route = fields
      ? await this.planner.plan(current.template, user, fields, TicketActionsService.picksOf(current), new Date())
      : undefined;
    return this.run(
      user,
      ticketId,
      (loaded, at) => resubmit(loaded.flow, { actorId: user.id, comment, at, replanned: route?.transition }),
      () => ({ actorId: user.id, comment, edits: { title: input.title, fields }, extraNotes: route?.delegationNotes }),
    );
  }

  async withdraw(user: UserDto, ticketId: string, input: WithdrawInput): Promise<TicketDetailDto> {
    await this.reader.assertCanView(user, ticketId);
    const comment = input.comment || null;
    return this.run(
      user,
      ticketId,
      (loaded, at) => withdraw(loaded.flow, { actorId: user.id, comment, at }),
      () => ({ actorId: user.id, comment }),
    );
  }

  private async assertActiveUser(id: string, field: string) {
    const target = await this.users.findById(id);
    if (!target?.active) throw new BadRequestException(`${field}: no such active user.`);
  }

  async transfer(user: UserDto, ticketId: string, input: TransferInput): Promise<TicketDetailDto> {
    await this.assertHoldsTaskOn(user, ticketId, input.stepId);
    await this.assertActiveUser(input.toUserId, 'toUserId');
    const comment = input.comment || null;
    return this.run(
      user,
      ticketId,
      (loaded, at) => transferTask(loaded.flow, { stepId: input.stepId, toUserId: input.toUserId, actorId: user.id, comment, at }),
      () => ({ actorId: user.id, comment }),
    );
  }

  async addSigner(user: UserDto, ticketId: string, input: AddSignerInput): Promise<TicketDetailDto> {
    await this.assertHoldsTaskOn(user, ticketId, input.stepId);
    await this.assertActiveUser(input.userId, 'userId');
    const comment = input.comment || null;
    return this.run(
      user,
      ticketId,
      (loaded, at) =>
        addSigner(loaded.flow, { stepId: input.stepId, userId: input.userId, position: input.position, actorId: user.id, comment, at }),
      () => ({ actorId: user.id, comment }),
    );
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
}
