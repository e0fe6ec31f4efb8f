import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CATALOG,
  CONSUMERS,
  JetStreamConsumer,
  onMessage,
  RemoteError,
  RunFinished,
  STREAMS,
  SUBJECTS,
  type Job,
  type Logger,
  type NatsConnection,
} from '@cairn/contracts';
import { Dispatcher } from '../delivery/dispatcher.js';
import { OverdueService } from '../overdue/overdue.service.js';
import { runReport, type ReportOrigin } from '../report/run-report.js';
import { CatalogRepository } from '../repositories/catalog.repository.js';
import { LOGGER, NATS, ORIGIN } from '../tokens.js';

/** Runs reported side by side: a slow channel on one run does not hold the next run's reports. */
const REPORTS_AT_ONCE = 64;
/** After the catalog could not be reached: try the event again then. */
const REDELIVER_MS = 5_000;

/**
 * Reports every finished run. An event is acknowledged only once every channel has delivered or
 * run out of attempts; an event left unacknowledged by a crash comes back, and the delivery records
 * keep what was already delivered from being sent twice. Run-started events say nothing worth
 * reporting: they are acknowledged unread.
 */
@Injectable()
export class RunFinishedConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: JetStreamConsumer;

  constructor(
    @Inject(NATS) nc: NatsConnection,
    private readonly catalog: CatalogRepository,
    private readonly dispatcher: Dispatcher,
    private readonly overdue: OverdueService,
    @Inject(ORIGIN) private readonly origin: ReportOrigin,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.consumer = new JetStreamConsumer(nc, {
      stream: STREAMS.events.name,
      durable: CONSUMERS.notifier,
      handlers: { [SUBJECTS.runFinished]: onMessage(RunFinished, (event) => this.report(event)) },
      concurrency: REPORTS_AT_ONCE,
      retryAfterMs: REDELIVER_MS,
      logger,
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  /** Takes no new events, and lets those in hand finish (or be redelivered to the next notifier). */
  beforeApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }

  private async report(event: RunFinished): Promise<void> {
    const job = await this.job(event.jobId);
    await this.dispatcher.dispatch(runReport(event, job, this.origin), job?.channelIds);
    await this.overdue.succeeded(event, job);
  }

  private async job(id: string): Promise<Job | null> {
    try {
      return await this.catalog.call(CATALOG.jobs.get, { id });
    } catch (error) {
      if (error instanceof RemoteError && error.body.code === 'not-found') return null;
      throw error;
    }
  }
}
