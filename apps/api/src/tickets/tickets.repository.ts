/**
 * Tickets, their steps and tasks, decisions and the ordered event log. The only place
 * that knows how a ticket is stored; every write that changes a ticket also appends its
 * event with the next `seq`, in the same transaction.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Box, FieldValues, RuleNoteDto, TemplateDef, TicketEventDto, TicketEventType, UserRef } from '@signoff/contracts';
import type { ActionResult, ApprovalFlow, ApprovalTransition } from '@signoff/workflow';
import {
  DecisionEntity,
  TemplateEntity,
  TicketCcEntity,
  TicketEntity,
  TicketEventEntity,
  TicketStepEntity,
  TicketTaskEntity,
  UserEntity,
} from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';
import { refsFrom, toApprovalFlow, toRuleNotes, toSnapshot, toStepRow, toTaskRow, userIdsOf, type RefOf } from './ticket.mapper';

export interface LoadedTicket {
  entity: TicketEntity;
  template: TemplateDef & { id: string; version: number };
  flow: ApprovalFlow;
  snapshot: ReturnType<typeof toSnapshot>;
}

export interface CommittedChange {
  event: TicketEventDto;
  transition: ApprovalTransition;
}

/** What an action adds to its event beyond the transition itself. */
export interface ActionMeta {
  actorId: string | null;
  onBehalfOf?: string | null;
  comment: string | null;
  at: Date;
  /** A person's decision on a task: also written to `decisions`. */
  decision?: { taskId: string; stepId: string; decision: 'approve' | 'reject' };
  /** Title and fields edited on resubmission. */
  edits?: { title?: string; fields?: FieldValues };
  /** Event type when it differs from the engine's (e.g. an escalation is a transfer). */
  eventType?: TicketEventType;
  /** Extra rule notes (delegation) already in the log's shape. */
  extraNotes?: RuleNoteDto[];
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
    // One after another: inside a transaction they share one connection.
    const steps = await manager.getRepository(TicketStepEntity).find({ where: { ticketId }, order: { position: 'ASC' } });
    const tasks = await manager.getRepository(TicketTaskEntity).find({ where: { ticketId }, order: { ord: 'ASC' } });
    const templateRow = await manager.getRepository(TemplateEntity).findOneByOrFail({ id: entity.templateId });
    const template = { ...templateRow.definition, id: templateRow.id, version: templateRow.version };
    const flow = toApprovalFlow(entity, template.rules, steps, tasks);
    const ref = await this.refs(manager, userIdsOf(entity.requesterId, flow));
    return { entity, template, flow, snapshot: toSnapshot(entity, template, flow, ref) };
  }

  private async refs(manager: EntityManager, ids: string[]): Promise<RefOf> {
    const users = ids.length ? await manager.getRepository(UserEntity).findBy({ id: In(ids) }) : [];
    return refsFrom(users);
  }

  /** Inserts a ticket with its planned flow, its CC list and its first event (seq 1). */
  async create(input: {
    templateId: string;
    requesterId: string;
    title: string;
    fields: FieldValues;
    start: ApprovalTransition;
    ccUserIds: string[];
    /** Copied because the ticket finished as it started (every stage skipped). */
    ccAtFinishUserIds?: string[];
    extraNotes: RuleNoteDto[];
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
      await this.writeSteps(
        tx,
        ticket.id,
        input.start.flow,
        input.start.flow.steps.map((s) => s.id),
        true,
      );
      await this.addCc(tx, ticket.id, input.ccUserIds, 'start');
      await this.addCc(tx, ticket.id, input.ccAtFinishUserIds ?? [], 'finish');
      const event = await this.appendEvent(tx, ticket.id, {
        type: 'ticket.submitted',
        actorId: input.requesterId,
        comment: null,
        at: input.at,
        notes: input.start.notes,
        extraNotes: input.extraNotes,
        before: null,
      });
      return { event, transition: input.start };
    });
  }

  /**
   * Runs one engine transition under a row lock on the ticket, so concurrent actions on
   * the same ticket are serialised and each sees the state the previous one left.
   * A refusal writes nothing.
   */
  async applyAction(
    ticketId: string,
    compute: (loaded: LoadedTicket) => ActionResult<ApprovalTransition>,
    meta: ActionMeta | ((transition: ApprovalTransition, loaded: LoadedTicket) => ActionMeta),
    ccAtFinish: (loaded: LoadedTicket) => Promise<string[]> = async () => [],
  ): Promise<{ ok: true; value: CommittedChange } | { ok: false; refusal: string }> {
    return this.db.transaction((tx) => this.applyActionIn(tx, ticketId, compute, meta, ccAtFinish));
  }

  /**
   * applyAction inside a transaction the caller owns (a timer's effects commit with its
   * firing); the ticket's row lock is taken in `tx` and held until the caller commits.
   */
  async applyActionIn(
    tx: EntityManager,
    ticketId: string,
    compute: (loaded: LoadedTicket) => ActionResult<ApprovalTransition>,
    meta: ActionMeta | ((transition: ApprovalTransition, loaded: LoadedTicket) => ActionMeta),
    ccAtFinish: (loaded: LoadedTicket) => Promise<string[]> = async () => [],
  ): Promise<{ ok: true; value: CommittedChange } | { ok: false; refusal: string }> {
    const loaded = await this.load(ticketId, tx, true);
    if (!loaded) return { ok: false as const, refusal: 'ticket_not_found' };
    const result = compute(loaded);
    if (!result.ok) return result;
    const transition = result.value;
    const m = typeof meta === 'function' ? meta(transition, loaded) : meta;
    await this.writeSteps(tx, ticketId, transition.flow, transition.changedStepIds, false);
    if (m.decision && m.actorId) {
      await tx.getRepository(DecisionEntity).insert({ ticketId, ...m.decision, actorId: m.actorId, comment: m.comment, createdAt: m.at });
    }
    await tx.getRepository(TicketEntity).update(
      { id: ticketId },
      {
        status: transition.flow.status,
        updatedAt: m.at,
        ...(m.edits?.title ? { title: m.edits.title } : {}),
        ...(m.edits?.fields ? { fields: m.edits.fields } : {}),
      },
    );
    const finished = ['approved', 'rejected'].includes(transition.flow.status) && loaded.flow.status !== transition.flow.status;
    if (finished) await this.addCc(tx, ticketId, await ccAtFinish(loaded), 'finish');
    const event = await this.appendEvent(tx, ticketId, {
      type: m.eventType ?? transition.eventType,
      actorId: m.actorId,
      onBehalfOf: m.onBehalfOf ?? null,
      comment: m.comment,
      at: m.at,
      notes: transition.notes,
      extraNotes: m.extraNotes ?? [],
      before: { status: loaded.flow.status, steps: loaded.flow.steps.map((s) => ({ id: s.id, status: s.status })) },
    });
    return { ok: true as const, value: { event, transition } };
  }

  /** Writes the changed steps and replaces their tasks (a step's tasks change together). */
  private async writeSteps(tx: EntityManager, ticketId: string, flow: ApprovalFlow, stepIds: string[], insert: boolean) {
    const changed = flow.steps.filter((s) => stepIds.includes(s.id));
    if (changed.length === 0) return;
    const steps = tx.getRepository(TicketStepEntity);
    if (insert) await steps.insert(changed.map((s) => toStepRow(ticketId, s)));
    else for (const s of changed) await steps.update({ id: s.id }, toStepRow(ticketId, s));
    const tasks = tx.getRepository(TicketTaskEntity);
    const rows = changed.flatMap((s) => s.tasks.map((t) => toTaskRow(ticketId, s.id, t)));
    if (rows.length) await tasks.upsert(rows, ['id']);
  }

  private async addCc(tx: EntityManager, ticketId: string, userIds: string[], atStage: 'start' | 'finish') {
    if (userIds.length === 0) return;
    await tx.getRepository(TicketCcEntity).upsert(
      [...new Set(userIds)].map((userId) => ({ ticketId, userId, atStage })),
      ['ticketId', 'userId', 'atStage'],
    );
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
      return {
        event: await this.appendEvent(tx, ticketId, {
          type: 'ticket.urged',
          actorId,
          comment: null,
          at,
          notes: [],
          extraNotes: [],
          before: null,
        }),
      };
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
      return this.appendEvent(tx, ticketId, { type: 'comment.added', actorId, comment: body, at, notes: [], extraNotes: [], before: null });
    });
  }

  /** Bumps the ticket's seq and writes the event row carrying the snapshot after it. */
  private async appendEvent(
    tx: EntityManager,
    ticketId: string,
    e: {
      type: TicketEventType;
      actorId: string | null;
      onBehalfOf?: string | null;
      comment: string | null;
      at: Date;
      notes: ApprovalTransition['notes'];
      extraNotes: RuleNoteDto[];
      before: TicketEventDto['before'];
    },
  ): Promise<TicketEventDto> {
    const [[{ seq }]] = (await tx.query('UPDATE tickets SET seq = seq + 1 WHERE id = $1 RETURNING seq', [ticketId])) as [
      Array<{ seq: number }>,
      number,
    ];
    const loaded = (await this.load(ticketId, tx))!;
    const people = [e.actorId, e.onBehalfOf].filter((id): id is string => !!id);
    const notedUsers = e.notes.flatMap((n) => ('userId' in n ? [n.userId] : []));
    const ref = await this.refs(tx, [...people, ...notedUsers]);
    const orNull = (id: string | null | undefined): UserRef | null => (id ? ref(id) : null);
    const event: TicketEventDto = {
      ticketId,
      seq,
      type: e.type,
      at: e.at.toISOString(),
      actor: orNull(e.actorId),
      onBehalfOf: orNull(e.onBehalfOf),
      comment: e.comment,
      notes: [...toRuleNotes(e.notes, ref), ...e.extraNotes],
      before: e.before,
      ...loaded.snapshot,
    };
    await tx
      .getRepository(TicketEventEntity)
      .insert({ ticketId, seq, type: e.type, actorId: e.actorId, at: e.at, comment: e.comment, payload: event });
    return event;
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

  /**
   * Who may see a ticket: its requester, anyone who holds or held a task on it (also on
   * someone's behalf, or who added a signer), and the users copied on it.
   */
  async isParticipant(ticketId: string, userId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM tickets t WHERE t.id = $1 AND (
         t.requester_id = $2
         OR EXISTS (SELECT 1 FROM ticket_tasks k WHERE k.ticket_id = t.id AND $2 IN (k.assignee_id, k.on_behalf_of, k.added_by))
         OR EXISTS (SELECT 1 FROM ticket_cc c WHERE c.ticket_id = t.id AND c.user_id = $2))
       LIMIT 1`,
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
      todo: `EXISTS (SELECT 1 FROM ticket_tasks k WHERE k.ticket_id = t.id AND k.status = 'active' AND k.assignee_id = $1)`,
      cc: `EXISTS (SELECT 1 FROM ticket_cc c WHERE c.ticket_id = t.id AND c.user_id = $1)`,
      all: '$1::uuid IS NOT NULL',
    };
    const rows = (await this.db.query(`SELECT t.id FROM tickets t WHERE ${where[box]} ORDER BY t.updated_at DESC LIMIT ${Number(limit)}`, [
      userId,
    ])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  async countTodo(userId: string): Promise<number> {
    const [{ count }] = (await this.db.query(
      `SELECT count(DISTINCT k.ticket_id)::int AS count FROM ticket_tasks k WHERE k.status = 'active' AND k.assignee_id = $1`,
      [userId],
    )) as Array<{ count: number }>;
    return count;
  }
}
