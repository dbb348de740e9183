/**
 * Fires due stage deadlines: every TIMER_POLL_MS each instance claims due `deadline`
 * timers (TimersRepository.claimDue: FOR UPDATE SKIP LOCKED) and escalates each inside
 * the claiming transaction — each active task of the step is transferred to its
 * assignee's manager (see deadlines.service.ts for who that is), one `task.escalated`
 * event by nobody (the system), and the step's next deadline (the timer restarts at each
 * level) — so the escalation and the timer's firing commit together, exactly once across
 * instances and restarts. Changes are published after COMMIT only.
 */
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { currentAssignees } from '@signoff/workflow';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApproverResolver } from '../tickets/approver-resolver';
import { TicketChangePublisher } from '../tickets/ticket-publisher';
import { TicketsRepository, type CommittedChange } from '../tickets/tickets.repository';
import { UsersRepository } from '../users/users.repository';
import {
  DEADLINE_TIMER,
  DeadlinesService,
  deadlineHoursOf,
  escalateStep,
  formatHours,
  HOUR_MS,
  type DeadlinePayload,
} from './deadlines.service';
import { TimersRepository, type TimerOutcome, type TimerRow, type Tx } from './timers.repository';

/** Timers claimed per transaction. */
const BATCH = 20;
/** How often the poller looks for active steps that lost their timer (a crash after commit). */
const REPAIR_EVERY_MS = 60_000;

@Injectable()
export class DeadlinePoller implements OnModuleInit, OnModuleDestroy {
  private interval: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;
  private lastRepair = 0;
  private readonly logger = new Logger(DeadlinePoller.name);

  constructor(
    @Inject(TimersRepository) private readonly timers: TimersRepository,
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(ApproverResolver) private readonly resolver: ApproverResolver,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TicketChangePublisher) private readonly publisher: TicketChangePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.interval = setInterval(() => void this.tick(), this.config.TIMER_POLL_MS);
    this.interval.unref();
  }

  /** Stops polling and waits for a claim under way, so nothing runs on a closed database. */
  async onModuleDestroy() {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    await this.current;
  }

  /** One poll (or the one already under way): repair now and then, then fire what is due. */
  tick(): Promise<void> {
    this.current ??= this.poll().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async poll() {
    try {
      if (Date.now() - this.lastRepair >= REPAIR_EVERY_MS) {
        this.lastRepair = Date.now();
        await this.deadlines.repair();
      }
      while (!this.stopped) {
        const { claimed, results } = await this.timers.claimDue(BATCH, (timer, tx) => this.escalate(timer, tx), [DEADLINE_TIMER]);
        // After COMMIT only, as for any other change.
        for (const change of results) {
          await this.publisher.publish(change).catch((err: unknown) => this.logger.warn(`escalation not published: ${String(err)}`));
        }
        if (claimed < BATCH) break;
      }
    } catch (err) {
      if (!this.stopped) this.logger.warn(`deadline poll failed: ${String(err)}`);
    }
  }

  /** Fires one deadline inside the claiming transaction `tx`. */
  private async escalate(timer: TimerRow, tx: Tx): Promise<TimerOutcome<CommittedChange>> {
    const loaded = await this.tickets.load(timer.ticketId, tx, true);
    const step = loaded?.flow.steps.find((s) => s.id === timer.stepId);
    const hours = loaded && step ? deadlineHoursOf(loaded.template, step.key) : null;
    if (
      !loaded ||
      !step ||
      !hours ||
      loaded.flow.status !== 'pending' ||
      step.status !== 'active' ||
      step.round !== Number(timer.payload.round)
    ) {
      return { outcome: 'cancelled' };
    }

    const at = new Date();
    const targets = new Map<string, string>();
    const taken = new Set(currentAssignees(step));
    for (const task of step.tasks.filter((t) => t.status === 'active')) {
      const to = await this.escalationTarget(task.assigneeId, taken);
      if (to) {
        targets.set(task.id, to);
        taken.add(to);
      }
    }

    let change: CommittedChange | undefined;
    if (targets.size > 0) {
      const comment = `escalated after ${formatHours(hours)} h`;
      const first = step.tasks.find((t) => targets.has(t.id))!;
      const result = await this.tickets.applyActionIn(
        tx,
        timer.ticketId,
        (current) => escalateStep(current.flow, step.id, targets, comment, at.toISOString()),
        { actorId: null, onBehalfOf: first.onBehalfOf ?? first.assigneeId, comment, at, eventType: 'task.escalated' },
      );
      if (result.ok) change = result.value;
    }

    const level = Number(timer.payload.level ?? 0) + (change ? 1 : 0);
    const next: DeadlinePayload = { round: step.round, hours, level };
    await this.timers.schedule(DEADLINE_TIMER, timer.ticketId, step.id, new Date(at.getTime() + hours * HOUR_MS), { ...next }, tx);
    return { outcome: 'fired', result: change };
  }

  /** The assignee's active manager; without one, the first active admin; an admin without one is the top. */
  private async escalationTarget(assigneeId: string, taken: Set<string>): Promise<string | null> {
    const manager = await this.resolver.managerOf(assigneeId);
    if (manager) return taken.has(manager) ? null : manager;
    const assignee = await this.users.findById(assigneeId);
    if (!assignee || assignee.role === 'admin') return null;
    return (await this.resolver.activeAdmins()).find((id) => !taken.has(id)) ?? null;
  }
}
