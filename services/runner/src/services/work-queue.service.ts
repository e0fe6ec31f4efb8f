import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CONSUMERS,
  JetStreamConsumer,
  onMessage,
  RunRequest,
  STREAMS,
  SUBJECTS,
  type Logger,
  type NatsConnection,
  type Settlement,
} from '@cairn/contracts';
import type { RunnerConfig } from '../config.js';
import { JobLockRepository } from '../repositories/job-lock.repository.js';
import { LOGGER, NATS, RUNNER_CONFIG } from '../tokens.js';
import { RunService, type Disposition } from './run.service.js';

/** When the catalog does not answer, the request comes back after this long. */
const RETRY_LATER_MS = 10_000;
/** A request for a job that another run holds comes back after this long, to wait its turn. */
const JOB_BUSY_MS = 2_000;

const SETTLEMENTS: Record<Disposition, Settlement> = {
  ack: undefined,
  'retry-later': { redeliverAfterMs: RETRY_LATER_MS },
  requeue: { redeliverAfterMs: 0 },
};

/**
 * Takes run requests from the shared durable consumer, CAIRN_RUNNER_CONCURRENCY at a time (the
 * consumer keeps each message alive while its run lasts), and settles each by the run's outcome. A
 * run holds its job's lock, so a second request for a busy job goes back to the queue to wait.
 * Stopping lets the runs finish, or after the grace period aborts them and hands their messages back.
 */
@Injectable()
export class WorkQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly shutdown = new AbortController();
  private readonly consumer: JetStreamConsumer;

  constructor(
    @Inject(NATS) nc: NatsConnection,
    private readonly locks: JobLockRepository,
    private readonly runs: RunService,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.consumer = new JetStreamConsumer(nc, {
      stream: STREAMS.jobs.name,
      durable: CONSUMERS.runners,
      handlers: { [SUBJECTS.runRequest]: onMessage(RunRequest, (request) => this.run(request)) },
      concurrency: config.CAIRN_RUNNER_CONCURRENCY,
      retryAfterMs: RETRY_LATER_MS,
      logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
    this.logger.info({ concurrency: this.config.CAIRN_RUNNER_CONCURRENCY }, 'pulling run requests');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const grace = setTimeout(() => {
      this.logger.warn('grace period over: aborting the runs still going');
      this.shutdown.abort();
    }, this.config.CAIRN_RUNNER_GRACE_MS);
    await this.consumer.stop();
    clearTimeout(grace);
  }

  private async run(request: RunRequest): Promise<Settlement> {
    const { runId, jobId } = request;
    const lock = await this.locks
      .tryAcquire(jobId, `${this.config.CAIRN_RUNNER_NAME} ${runId}`)
      .catch((error: unknown) => {
        this.logger.warn({ err: error, runId, jobId }, 'cannot take the job lock; the request waits');
        return 'unavailable' as const;
      });
    if (lock === 'unavailable') return SETTLEMENTS['retry-later'];
    if (!lock) {
      this.logger.debug({ runId, jobId }, 'another run of the job is going; the request waits its turn');
      return { redeliverAfterMs: JOB_BUSY_MS };
    }
    try {
      return SETTLEMENTS[await this.runs.run(request, this.shutdown.signal)];
    } finally {
      await lock.release();
    }
  }
}
