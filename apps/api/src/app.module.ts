import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';
import { AdminController } from './admin/admin.controller';
import { StatsRepository } from './admin/stats.repository';
import { StatsService } from './admin/stats.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { SessionGuard } from './auth/session.guard';
import { SessionsRepository } from './auth/sessions.repository';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DATA_SOURCE } from './database/tokens';
import { DeadlinePoller } from './deadlines/deadline-poller';
import { DeadlinesService } from './deadlines/deadlines.service';
import { TimersRepository } from './deadlines/timers.repository';
import { HealthController } from './health/health.controller';
import { RealtimePublisher } from './realtime/realtime.publisher';
import { LiveConnections } from './realtime/live-connections';
import { TicketStreamController } from './realtime/ticket-stream.controller';
import { TicketsGateway } from './realtime/tickets.gateway';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';
import { DelegationsController } from './delegations/delegations.controller';
import { DelegationsRepository } from './delegations/delegations.repository';
import { ApproverResolver } from './tickets/approver-resolver';
import { RoutePlanner } from './tickets/route-planner';
import { TicketActionsService } from './tickets/ticket-actions.service';
import { TicketChangePublisher } from './tickets/ticket-publisher';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsRepository } from './tickets/tickets.repository';
import { TicketsService } from './tickets/tickets.service';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';

@Module({})
export class AppModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [ThrottlerModule.forRoot([{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT }])],
      controllers: [
        AuthController,
        HealthController,
        TemplatesController,
        TicketsController,
        TicketStreamController,
        UsersController,
        AdminController,
        DelegationsController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATA_SOURCE, useValue: dataSource },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        UsersRepository,
        SessionsRepository,
        TemplatesRepository,
        TemplatesService,
        TicketsRepository,
        AuthService,
        ApproverResolver,
        TicketsService,
        TicketActionsService,
        TicketChangePublisher,
        RoutePlanner,
        DelegationsRepository,
        RealtimePublisher,
        TicketsGateway,
        LiveConnections,
        StatsRepository,
        StatsService,
        TimersRepository,
        DeadlinesService,
        DeadlinePoller,
      ],
    };
  }
}
