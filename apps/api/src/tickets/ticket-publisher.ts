/**
 * After COMMIT only: the ticket's event to every transport, new to-do counts to the people
 * whose inbox changed, a note to the users copied when it finished, new figures to admins.
 */
import { Inject, Injectable } from '@nestjs/common';
import { userRoom } from '@signoff/contracts';
import { StatsService } from '../admin/stats.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { TicketsRepository, type CommittedChange } from './tickets.repository';

@Injectable()
export class TicketChangePublisher {
  constructor(
    @Inject(TicketsRepository) private readonly tickets: TicketsRepository,
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
  ) {}

  async publish(change: CommittedChange) {
    this.realtime.publishTicketEvent(change.event);
    this.stats.changed();
    await Promise.all(
      change.transition.inboxChangedFor.map(async (userId) =>
        this.realtime.send('inbox:changed', userRoom(userId), { count: await this.tickets.countTodo(userId) }),
      ),
    );
    // Schedules the deadlines of steps that became active, cancels those of steps that ended.
    await this.deadlines.afterChange(change);
  }
}
