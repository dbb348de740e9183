/**
 * The admin dashboard's figures, pushed to admins' sockets after ticket events. Pushes
 * are coalesced: a burst of decisions costs one query and one message per interval.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ADMIN_ROOM, type StatsDto, type UserDto } from '@signoff/contracts';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { StatsRepository } from './stats.repository';

const PUSH_INTERVAL_MS = 250;

@Injectable()
export class StatsService {
  private pending: NodeJS.Timeout | null = null;
  private readonly logger = new Logger(StatsService.name);

  constructor(
    @Inject(StatsRepository) private readonly stats: StatsRepository,
    @Inject(RealtimePublisher) private readonly realtime: RealtimePublisher,
  ) {}

  read(_admin: UserDto): Promise<StatsDto> {
    return this.stats.read();
  }

  changed() {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.stats
        .read()
        .then((stats) => this.realtime.send('stats:changed', ADMIN_ROOM, stats))
        .catch((err: unknown) => this.logger.warn(`stats push failed: ${String(err)}`));
    }, PUSH_INTERVAL_MS);
    this.pending.unref();
  }
}
