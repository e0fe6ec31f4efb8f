import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { serveMetrics, type JetStreamConsumer, type Logger, type MetricsServer } from '@cairn/contracts';
import { CatalogOptions } from './catalog-options.js';
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
import type { RouteGroup } from './handlers/route.js';
import { NatsRepository } from './repositories/nats.repository.js';
import { JobMetricsService } from './services/job-metrics.service.js';
import { LOGGER } from './tokens.js';

/**
 * Starts and stops the catalog's traffic in a fixed order. Start (the database is already migrated
 * by then): `/metrics` (a port already taken stops the start before any request is taken), NATS and
 * its streams, the request handlers, the event consumer. Stop: the reverse, then the database — so
 * no reply, event acknowledgement or scrape is ever attempted without a database.
 */
@Injectable()
export class CatalogServer implements OnApplicationShutdown {
  private readonly groups: RouteGroup[];
  private metricsServer?: MetricsServer;
  private events?: JetStreamConsumer;

  constructor(
    private readonly nats: NatsRepository,
    private readonly runEvents: RunEventsHandler,
    private readonly dataSource: DataSource,
    private readonly options: CatalogOptions,
    private readonly jobMetrics: JobMetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
    destinations: DestinationHandlers,
    jobs: JobHandlers,
    runs: RunHandlers,
    snapshots: SnapshotHandlers,
    settings: SettingsHandlers,
    admin: AdminHandlers,
    channels: ChannelHandlers,
    deliveries: DeliveryHandlers,
    sessions: SessionHandlers,
    overdueLapses: OverdueLapseHandlers,
  ) {
    this.groups = [
      destinations,
      jobs,
      runs,
      snapshots,
      settings,
      admin,
      channels,
      deliveries,
      sessions,
      overdueLapses,
    ];
  }

  /** Where `/metrics` answers, once started (its port may have been picked: CAIRN_METRICS_PORT=0). */
  get metricsUrl(): string | undefined {
    return this.metricsServer?.url;
  }

  async start(): Promise<void> {
    this.metricsServer = await serveMetrics(this.options.metrics, this.logger, this.jobMetrics.registry);
    await this.nats.connect();
    for (const { endpoint, handle } of this.groups.flatMap((group) => group.routes())) {
      this.nats.serve(endpoint, handle);
    }
    this.events = this.runEvents.consumer(this.nats.connection);
    await this.events.start();
    this.logger.info('catalog ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events?.stop();
    await this.nats.drain();
    await this.metricsServer?.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info('catalog stopped');
  }
}
