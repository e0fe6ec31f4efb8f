import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger, NatsConnection } from '@cairn/contracts';
import type { SchedulerConfig } from './config.js';
import { SchedulerHandler } from './handlers/scheduler.handler.js';
import { NatsRepository } from './repositories/nats.repository.js';
import { PauseService } from './services/pause.service.js';
import { ScheduleService } from './services/schedule.service.js';
import { SchedulerLoop } from './services/scheduler-loop.service.js';
import { LOGGER, NATS, SCHEDULER_CONFIG } from './tokens.js';

@Module({})
export class AppModule {
  static with(config: SchedulerConfig, nc: NatsConnection, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        { provide: NATS, useValue: nc },
        { provide: LOGGER, useValue: logger },
        NatsRepository,
        PauseService,
        ScheduleService,
        SchedulerLoop,
        SchedulerHandler,
      ],
    };
  }
}
