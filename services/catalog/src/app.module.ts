import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@cairn/contracts';
import { CatalogOptions } from './catalog-options.js';
import { CatalogServer } from './catalog.server.js';
import { openDatabase } from './database/open-database.js';
import { AdminHandlers } from './handlers/admin.handlers.js';
import { ChannelHandlers } from './handlers/channel.handlers.js';
import { DeliveryHandlers } from './handlers/delivery.handlers.js';
import { DestinationHandlers } from './handlers/destination.handlers.js';
import { JobHandlers } from './handlers/job.handlers.js';
import { OverdueLapseHandlers } from './handlers/overdue-lapse.handlers.js';
import { RunEventsHandler } from './handlers/run-events.handler.js';
import { RunHandlers } from './handlers/run.handlers.js';
import { SessionHandlers } from './handlers/session.handlers.js';
import { SettingsHandlers } from './handlers/settings.handlers.js';
import { SnapshotHandlers } from './handlers/snapshot.handlers.js';
import { AdminRepository } from './repositories/admin.repository.js';
import { ChannelRepository } from './repositories/channel.repository.js';
import { DeliveryRepository } from './repositories/delivery.repository.js';
import { DestinationRepository } from './repositories/destination.repository.js';
import { JobRepository } from './repositories/job.repository.js';
import { NatsRepository } from './repositories/nats.repository.js';
import { OverdueLapseRepository } from './repositories/overdue-lapse.repository.js';
import { RunRepository } from './repositories/run.repository.js';
import { SessionRepository } from './repositories/session.repository.js';
import { SettingRepository } from './repositories/setting.repository.js';
import { SnapshotRepository } from './repositories/snapshot.repository.js';
import { AdminService } from './services/admin.service.js';
import { ChannelService } from './services/channel.service.js';
import { DeliveryService } from './services/delivery.service.js';
import { DestinationService } from './services/destination.service.js';
import { JobMetricsService } from './services/job-metrics.service.js';
import { JobService } from './services/job.service.js';
import { OverdueLapseService } from './services/overdue-lapse.service.js';
import { PassphraseChangeService } from './services/passphrase-change.service.js';
import { RunService } from './services/run.service.js';
import { SessionService } from './services/session.service.js';
import { SettingsService } from './services/settings.service.js';
import { SnapshotService } from './services/snapshot.service.js';
import { LOGGER } from './tokens.js';
import { SecretBox } from './utils/secret-box.js';

const repositories = [
  AdminRepository,
  ChannelRepository,
  DeliveryRepository,
  DestinationRepository,
  JobRepository,
  NatsRepository,
  OverdueLapseRepository,
  RunRepository,
  SessionRepository,
  SettingRepository,
  SnapshotRepository,
];
const services = [
  AdminService,
  ChannelService,
  DeliveryService,
  DestinationService,
  JobMetricsService,
  JobService,
  OverdueLapseService,
  PassphraseChangeService,
  RunService,
  SessionService,
  SettingsService,
  SnapshotService,
];
const handlers = [
  AdminHandlers,
  ChannelHandlers,
  DeliveryHandlers,
  DestinationHandlers,
  JobHandlers,
  OverdueLapseHandlers,
  RunEventsHandler,
  RunHandlers,
  SessionHandlers,
  SettingsHandlers,
  SnapshotHandlers,
];

@Module({})
export class AppModule {
  static forRoot(options: CatalogOptions, secretBox: SecretBox, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: CatalogOptions, useValue: options },
        { provide: SecretBox, useValue: secretBox },
        { provide: LOGGER, useValue: logger },
        // Created, migrated and ready before anything that queries it is constructed.
        {
          provide: DataSource,
          useFactory: () => openDatabase(options.databaseUrl, { waitMs: options.startupWaitMs, logger }),
        },
        ...repositories,
        ...services,
        ...handlers,
        CatalogServer,
      ],
    };
  }
}
