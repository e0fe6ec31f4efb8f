import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger, NatsConnection } from '@cairn/contracts';
import type { NotifierConfig } from './config.js';
import { Deliverer } from './delivery/deliverer.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { RunFinishedConsumer } from './handlers/run-finished.consumer.js';
import { TestSendHandler } from './handlers/test-send.handler.js';
import { OverdueService } from './overdue/overdue.service.js';
import { OverdueWatcher } from './overdue/overdue.watcher.js';
import type { ReportOrigin } from './report/run-report.js';
import { CatalogRepository } from './repositories/catalog.repository.js';
import { EmailSender } from './senders/email.sender.js';
import { HttpSender } from './senders/http.sender.js';
import { Senders } from './senders/senders.js';
import { TelegramSender } from './senders/telegram.sender.js';
import { LOGGER, NATS, NOTIFIER_CONFIG, ORIGIN } from './tokens.js';

@Module({})
export class AppModule {
  static with(
    config: NotifierConfig,
    nc: NatsConnection,
    logger: Logger,
    origin: ReportOrigin,
  ): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        { provide: NATS, useValue: nc },
        { provide: LOGGER, useValue: logger },
        { provide: ORIGIN, useValue: origin },
        CatalogRepository,
        EmailSender,
        HttpSender,
        TelegramSender,
        Senders,
        Deliverer,
        Dispatcher,
        OverdueService,
        OverdueWatcher,
        RunFinishedConsumer,
        TestSendHandler,
      ],
    };
  }
}
