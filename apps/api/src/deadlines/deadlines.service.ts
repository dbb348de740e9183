/**
 * Stage deadlines (StageDef.deadlineHours) with escalation up the manager chain.
 *
 * Invariant: every active step of a pending ticket whose stage has a deadline holds
 * exactly one pending `deadline` timer for its current round; no other step holds one.
 *
 * - DeadlinesService.afterChange keeps that invariant after every committed ticket change
 *   (TicketChangePublisher calls it), under the ticket's row lock so two instances
 *   publishing changes of one ticket cannot both schedule. A periodic repair applies the
 *   same rule to tickets a crash left between their commit and their scheduling.
 * - DeadlinePoller (deadline-poller.ts, apart because it publishes through
 *   TicketChangePublisher, which calls this service) claims due timers and escalates
 *   each inside the transaction that marks the timer fired, so it fires exactly once.
 *
 * Who gets an escalated task: the assignee's active manager; an assignee with no active
 * manager goes to the first active admin (the template fallback's last resort); an admin
 * with no manager is the top — the task stays with them. A task is only ever handed to
 * someone, never taken away, so a ticket is never left with nobody. At the top the timer
 * still restarts, so a manager set later is escalated to at the next deadline.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TemplateDef } from '@signoff/contracts';
import {
  transferTask,
  transitionBetween,
  type ActionResult,
  type ApprovalFlow,
  type ApprovalStep,
  type ApprovalTransition,
  type EngineNote,
} from '@signoff/workflow';
import { TicketsRepository, type CommittedChange, type LoadedTicket } from '../tickets/tickets.repository';
import { TimersRepository } from './timers.repository';

export const DEADLINE_TIMER = 'deadline';
export const HOUR_MS = 3_600_000;

export interface DeadlinePayload {
  /** The step's round when scheduled: a timer of an earlier round (returned, resubmitted) is stale. */
  round: number;
  hours: number;
  /** Escalations of this step so far. */
  level: number;
}

/** The stage's deadline in hours, if it has a usable one. */
export function deadlineHoursOf(template: Pick<TemplateDef, 'stages'>, stageKey: string): number | null {
  const hours = template.stages.find((s) => s.key === stageKey)?.deadlineHours;
  return typeof hours === 'number' && Number.isFinite(hours) && hours > 0 ? hours : null;
}

/** The steps that should hold a deadline timer now. */
function stepsWithDeadline(loaded: LoadedTicket): Array<{ step: ApprovalStep; hours: number }> {
  if (loaded.flow.status !== 'pending') return [];
  return loaded.flow.steps.flatMap((step) => {
    const hours = step.status === 'active' ? deadlineHoursOf(loaded.template, step.key) : null;
    return hours ? [{ step, hours }] : [];
  });
}

/**
 * Escalation as one engine transition: each task in `targets` (task id → new assignee)
 * is transferred, as if its assignee had handed it over. Tasks that cannot move (the
 * target already holds the step) stay where they are; if none moves, a refusal.
 */
export function escalateStep(
  flow: ApprovalFlow,
  stepId: string,
  targets: Map<string, string>,
  comment: string,
  at: string,
): ActionResult<ApprovalTransition> {
  let next = flow;
  const notes: EngineNote[] = [];
  let moved = 0;
  for (const [taskId, toUserId] of targets) {
    const task = next.steps.find((s) => s.id === stepId)?.tasks.find((t) => t.id === taskId && t.status === 'active');
    if (!task) continue;
    const result = transferTask(next, { stepId, toUserId, actorId: task.assigneeId, comment, at });
    if (!result.ok) continue;
    next = result.value.flow;
    notes.push(...result.value.notes);
    moved++;
  }
  if (moved === 0) return { ok: false, refusal: 'invalid_target' };
  return { ok: true, value: transitionBetween(flow, next, 'task.transferred', notes) };
}

export const formatHours = (hours: number) => String(Number(hours.toPrecision(6)));

@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    @Inject(TimersRepository) private readonly timers: TimersRepository,
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
  ) {}

  /**
   * After a committed ticket change: schedule a deadline for each step that became active
   * (its stage has deadlineHours), cancel the timers of steps no longer active. Never
   * throws: the change is committed whatever happens here, and the repair catches up.
   */
  async afterChange(change: Pick<CommittedChange, 'event'>): Promise<void> {
    const ticketId = change.event.ticketId;
    try {
      if (await this.timers.mayNeedDeadlines(ticketId)) await this.syncTicket(ticketId);
    } catch (err) {
      this.logger.warn(`deadlines of ticket ${ticketId} not updated (the repair will retry): ${String(err)}`);
    }
  }

  /**
   * Brings the ticket's deadline timers in line with its current state, read under the
   * ticket's row lock: whatever order changes are published in, the last sync sees the
   * last state.
   */
  async syncTicket(ticketId: string, now = new Date()): Promise<void> {
    await this.timers.transaction(async (tx) => {
      const loaded = await this.tickets.load(ticketId, tx, true);
      const wanted = loaded ? stepsWithDeadline(loaded) : [];
      const pending = await this.timers.pendingForTicket(ticketId, DEADLINE_TIMER, tx);
      const covered = new Set<string>();
      const stale: string[] = [];
      for (const timer of pending) {
        const match = wanted.find((w) => w.step.id === timer.stepId && w.step.round === Number(timer.payload.round));
        if (match && !covered.has(match.step.id)) covered.add(match.step.id);
        else stale.push(timer.id);
      }
      await this.timers.cancel(stale, tx);
      for (const { step, hours } of wanted) {
        if (covered.has(step.id)) continue;
        const payload: DeadlinePayload = { round: step.round, hours, level: 0 };
        await this.timers.schedule(DEADLINE_TIMER, ticketId, step.id, new Date(now.getTime() + hours * HOUR_MS), { ...payload }, tx);
      }
    });
  }

  /** Schedules the deadlines a crash left unscheduled (active steps without a pending timer). */
  async repair(): Promise<number> {
    const ids = await this.timers.ticketsMissingDeadline(DEADLINE_TIMER);
    for (const id of ids) await this.syncTicket(id);
    return ids.length;
  }
}
