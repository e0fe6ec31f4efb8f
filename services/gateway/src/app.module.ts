import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger, NatsConnection } from '@cairn/contracts';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { LinkTickets } from './auth/link-tickets.js';
import { TicketsController } from './auth/tickets.controller.js';
import { ChannelsController } from './catalog/channels.controller.js';
import { DestinationsController } from './catalog/destinations.controller.js';
import { ServiceClient } from './catalog/catalog.repository.js';
import type { GatewayConfig } from './config.js';
import { AuthGuard } from './http/auth.guard.js';
import { ErrorFilter } from './http/error.filter.js';
import { JobsController } from './jobs/jobs.controller.js';
import { JobsService } from './jobs/jobs.service.js';
import { DownloadStreams } from './runs/download-stream.repository.js';
import { RunEvents } from './runs/run-events.repository.js';
import { RunQueue } from './runs/run-queue.repository.js';
import { RunsController } from './runs/runs.controller.js';
import { SourcesController } from './sources/sources.controller.js';
import { RunnerController } from './system/runner.controller.js';
import { SchedulerController } from './system/scheduler.controller.js';
import { SystemController } from './system/system.controller.js';
import { CONFIG, LOGGER, NATS } from './system/tokens.js';

@Module({})
export class AppModule {
  static with(config: GatewayConfig, nc: NatsConnection, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        AuthController,
        ChannelsController,
        DestinationsController,
        JobsController,
        RunsController,
        RunnerController,
        SchedulerController,
        SourcesController,
        SystemController,
        TicketsController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: NATS, useValue: nc },
        { provide: LOGGER, useValue: logger },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ServiceClient,
        AuthService,
        LinkTickets,
        JobsService,
        RunQueue,
        RunEvents,
        DownloadStreams,
      ],
    };
  }
}
