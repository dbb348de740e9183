/**
 * Tickets, their steps, decisions and the ordered event log. The only place that
 * knows how a ticket is stored; every write that changes a ticket also appends its
 * event with the next `seq`, in the same transaction.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Box, FieldValues, TicketEventDto, TicketEventType } from '@signoff/contracts';
import type { DecisionCommand, FlowState, Refusal, Result, Transition } from '@signoff/workflow';
import { DecisionEntity, TemplateEntity, TicketEntity, TicketEventEntity, TicketStepEntity, UserEntity } from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';
import { toFlowState, toSnapshot, userIdsOf } from './ticket.mapper';

export interface LoadedTicket {
  entity: TicketEntity;
  flow: FlowState;
  snapshot: ReturnType<typeof toSnapshot>;
}

export interface CommittedChange {
  event: TicketEventDto;
  transition: Transition;
}

const EVENT_PAGE = 500;

@Injectable()
export class TicketsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async load(ticketId: string, manager: EntityManager = this.db.manager, lock = false): Promise<LoadedTicket | null> {
    const query = manager.getRepository(TicketEntity).createQueryBuilder('t').where('t.id = :ticketId', { ticketId });
    if (lock) query.setLock('pessimistic_write');
    const entity = await query.getOne();
    if (!entity) return null;
    const [steps, template] = await Promise.all([
      manager.getRepository(TicketStepEntity).find({ where: { ticketId }, order: { position: 'ASC' } }),
      manager.getRepository(TemplateEntity).findOneByOrFail({ id: entity.templateId }),
    ]);
    const flow = toFlowState(entity, steps);
    const users = await this.usersFor(manager, userIdsOf(entity, flow));
    const snapshot = toSnapshot(entity, { ...template.definition, version: template.version }, flow, users);
    return { entity, flow, snapshot };
  }

  private usersFor(manager: EntityManager, ids: string[]) {
    return manager.getRepository(UserEntity).createQueryBuilder('u').where('u.id = ANY(:ids)', { ids }).getMany();
  }

  /** Inserts a ticket with its planned flow and its first event (seq 1). */
  async create(input: {
    templateId: string;
    requesterId: string;
    title: string;
    fields: FieldValues;
    start: Transition;
    at: Date;
  }): Promise<CommittedChange> {
    return this.db.transaction(async (tx) => {
      const ticket = await tx.getRepository(TicketEntity).save({
        templateId: input.templateId,
        requesterId: input.requesterId,
        title: input.title,
        fields: input.fields,
        status: input.start.flow.status,
        seq: 0,
        createdAt: input.at,
        updatedAt: input.at,
      });
      await tx.getRepository(TicketStepEntity).insert(input.start.flow.steps.map((s) => ({ ...s, ticketId: ticket.id, decidedAt: null })));
      const event = await this.appendEvent(tx, ticket.id, 'ticket.submitted', input.requesterId, null, input.at);
      return { event, transition: input.start };
    });
  }

  /**
   * Runs one engine transition under a row lock on the ticket, so concurrent commands
   * on the same ticket are serialised and each sees the state the previous one left.
   * A refusal writes nothing.
   */
  async applyDecision(
    ticketId: string,
    command: DecisionCommand,
    decideFn: (flow: FlowState) => Result<Transition>,
  ): Promise<Result<CommittedChange> | { ok: false; refusal: 'ticket_not_found' }> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(ticketId, tx, true);
      if (!loaded) return { ok: false as const, refusal: 'ticket_not_found' as const };
      const result = decideFn(loaded.flow);
      if (!result.ok) return result;
      const transition = result.value;
      const at = new Date(command.at);
      for (const step of transition.flow.steps.filter((s) => transition.changedStepIds.includes(s.id))) {
        await tx.getRepository(TicketStepEntity).update(
          { id: step.id },
          {
            status: step.status,
            decidedById: step.decidedById,
            decision: step.decision,
            decidedAt: step.decidedAt ? new Date(step.decidedAt) : null,
            comment: step.comment,
          },
        );
      }
      await tx.getRepository(DecisionEntity).insert({
        ticketId,
        stepId: command.stepId,
        actorId: command.actorId,
        decision: command.decision,
        comment: command.comment,
        createdAt: at,
      });
      await tx.getRepository(TicketEntity).update({ id: ticketId }, { status: transition.flow.status, updatedAt: at });
      const event = await this.appendEvent(tx, ticketId, transition.eventType, command.actorId, command.comment, at);
      return { ok: true as const, value: { event, transition } };
    });
  }

  /**
   * Appends an urge (催办) unless the last one is younger than `minIntervalMs`; under the
   * ticket's row lock, so two urges at once cannot both pass the check.
   */
  async appendUrge(
    ticketId: string,
    actorId: string,
    at: Date,
    minIntervalMs: number,
  ): Promise<{ event: TicketEventDto } | { retryAfterMs: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
      const [last] = (await tx.query(`SELECT max(at) AS at FROM ticket_events WHERE ticket_id = $1 AND type = 'ticket.urged'`, [
        ticketId,
      ])) as Array<{ at: Date | null }>;
      const wait = last.at ? new Date(last.at).getTime() + minIntervalMs - at.getTime() : 0;
      if (wait > 0) return { retryAfterMs: wait };
      return { event: await this.appendEvent(tx, ticketId, 'ticket.urged', actorId, null, at) };
    });
  }

  /** Appends a discussion message to the ticket's log (serialised with decisions by the row lock). */
  async appendComment(ticketId: string, actorId: string, body: string, at: Date): Promise<TicketEventDto | null> {
    return this.db.transaction(async (tx) => {
      const locked = await tx
        .getRepository(TicketEntity)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.id = :ticketId', { ticketId })
        .getOne();
      if (!locked) return null;
      return this.appendEvent(tx, ticketId, 'comment.added', actorId, body, at);
    });
  }

  /** Bumps the ticket's seq and writes the event row carrying the snapshot after it. */
  private async appendEvent(
    tx: EntityManager,
    ticketId: string,
    type: TicketEventType,
    actorId: string | null,
    comment: string | null,
    at: Date,
  ): Promise<TicketEventDto> {
    const [[{ seq }]] = (await tx.query('UPDATE tickets SET seq = seq + 1 WHERE id = $1 RETURNING seq', [ticketId])) as [
      Array<{ seq: number }>,
      number,
    ];
    const loaded = (await this.load(ticketId, tx))!;
    const actor = actorId
      ? loaded.snapshot.ticket.requester.id === actorId
        ? loaded.snapshot.ticket.requester
        : await this.userRef(tx, actorId)
      : null;
    const event: TicketEventDto = { ticketId, seq, type, at: at.toISOString(), actor, comment, ...loaded.snapshot };
    await tx.getRepository(TicketEventEntity).insert({ ticketId, seq, type, actorId, at, comment, payload: event });
    return event;
  }

  private async userRef(tx: EntityManager, id: string) {
    const user = await tx.getRepository(UserEntity).findOneByOrFail({ id });
    return { id: user.id, name: user.name, email: user.email };
  }

  /** Events after `after`, in seq order, at most one page. */
  async eventsAfter(ticketId: string, after: number, limit = EVENT_PAGE): Promise<TicketEventDto[]> {
    const rows = await this.db
      .getRepository(TicketEventEntity)
      .createQueryBuilder('e')
      .where('e.ticket_id = :ticketId AND e.seq > :after', { ticketId, after })
      .orderBy('e.seq', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((r) => r.payload as TicketEventDto);
  }

  /** Who may see a ticket: its requester and anyone who is an approver of any of its steps. */
  async isParticipant(ticketId: string, userId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM tickets t WHERE t.id = $1 AND (t.requester_id = $2 OR EXISTS (SELECT 1 FROM ticket_steps s WHERE s.ticket_id = t.id AND $2 = ANY(s.approver_ids))) LIMIT 1`,
      [ticketId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  async exists(ticketId: string): Promise<boolean> {
    return this.db.getRepository(TicketEntity).existsBy({ id: ticketId });
  }

  /** Ticket ids of a box, newest activity first. */
  async idsForBox(box: Box, userId: string, limit = 200): Promise<string[]> {
    const where: Record<Box, string> = {
      mine: 't.requester_id = $1',
      todo: `EXISTS (SELECT 1 FROM ticket_steps s WHERE s.ticket_id = t.id AND s.status = 'active' AND $1 = ANY(s.approver_ids))`,
      all: '$1::uuid IS NOT NULL',
    };
    const rows = (await this.db.query(`SELECT t.id FROM tickets t WHERE ${where[box]} ORDER BY t.updated_at DESC LIMIT ${Number(limit)}`, [
      userId,
    ])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  async countTodo(userId: string): Promise<number> {
    const [{ count }] = (await this.db.query(
      `SELECT count(DISTINCT s.ticket_id)::int AS count FROM ticket_steps s WHERE s.status = 'active' AND $1 = ANY(s.approver_ids)`,
      [userId],
    )) as Array<{ count: number }>;
    return count;
  }
}

export type { Refusal };
