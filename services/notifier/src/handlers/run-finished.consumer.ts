import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import {
  CATALOG,
  CONSUMERS,
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

/** Well inside the consumer's 30 s ack wait, so retries with backoff never trigger a redelivery. */
const KEEP_ALIVE_MS = 10_000;
/** After the catalog could not be reached: try the event again then. */
const REDELIVER_MS = 5_000;

/**
 * Reports every finished run. Events are handled side by side (a slow channel on one run does not
 * hold the next run's reports) and acknowledged only once every channel has delivered or run out of
 * attempts; an event left unacknowledged by a crash comes back, and the delivery records keep what
 * was already delivered from being sent twice.
 */
@Injectable()
export class RunFinishedConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    private readonly catalog: CatalogRepository,
    private readonly dispatcher: Dispatcher,
    private readonly overdue: OverdueService,
    @Inject(ORIGIN) private readonly origin: ReportOrigin,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const consumer = await jetstream(this.nc).consumers.get(STREAMS.events.name, CONSUMERS.notifier);
    this.messages = await consumer.consume({ max_messages: 64 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const message of messages) {
        const handled = this.handle(message);
        this.inFlight.add(handled);
        void handled.finally(() => this.inFlight.delete(handled));
      }
    })();
  }

  private async handle(message: JsMsg): Promise<void> {
    // The stream also carries run-started events, which say nothing worth reporting.
    if (message.subject !== SUBJECTS.runFinished) return message.ack();
    const parsed = RunFinished.safeParse(message.json());
    if (!parsed.success) {
      this.logger.error({ subject: message.subject }, 'malformed run-finished event dropped');
      return message.term();
    }
    const keepAlive = setInterval(() => message.working(), KEEP_ALIVE_MS);
    try {
      const event = parsed.data;
      const job = await this.job(event.jobId);
      await this.dispatcher.dispatch(runReport(event, job, this.origin), job?.channelIds);
      await this.overdue.succeeded(event, job);
      message.ack();
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'run report postponed');
      message.nak(REDELIVER_MS);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async job(id: string): Promise<Job | null> {
    try {
      return await this.catalog.call(CATALOG.jobs.get, { id });
    } catch (error) {
      if (error instanceof RemoteError && error.body.code === 'not-found') return null;
      throw error;
    }
  }

  /** Takes no new events, and lets those in hand finish (or be redelivered to the next notifier). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }
}
