import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger, NatsConnection } from '@cairn/contracts';
import type { RunnerConfig } from './config.js';
import { RunnerHandler } from './handlers/runner.handler.js';
import { EngineRepository } from './repositories/engine.repository.js';
import { FilesystemRepository } from './repositories/filesystem.repository.js';
import { JobLockRepository } from './repositories/job-lock.repository.js';
import { NatsRepository } from './repositories/nats.repository.js';
import { BrowseService } from './services/browse.service.js';
import { DestinationTestService } from './services/destination-test.service.js';
import { FolderAccessService } from './services/folder-access.service.js';
import { OperationsService } from './services/operations.service.js';
import { PassphraseChangeService } from './services/passphrase-change.service.js';
import { PathGuard } from './services/path-guard.service.js';
import { RunService } from './services/run.service.js';
import { SourceGuard } from './services/source-guard.service.js';
import { SnapshotTreeService } from './services/snapshot-tree.service.js';
import { DownloadService } from './services/download.service.js';
import { WorkQueueService } from './services/work-queue.service.js';
import { LOGGER, NATS, RUNNER_CONFIG } from './tokens.js';

@Module({})
export class AppModule {
  static with(config: RunnerConfig, nc: NatsConnection, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: RUNNER_CONFIG, useValue: config },
        { provide: NATS, useValue: nc },
        { provide: LOGGER, useValue: logger },
        NatsRepository,
        EngineRepository,
        FilesystemRepository,
        JobLockRepository,
        PathGuard,
        SourceGuard,
        FolderAccessService,
        OperationsService,
        RunService,
        WorkQueueService,
        BrowseService,
        SnapshotTreeService,
        DownloadService,
        DestinationTestService,
        PassphraseChangeService,
        RunnerHandler,
      ],
    };
  }
}
