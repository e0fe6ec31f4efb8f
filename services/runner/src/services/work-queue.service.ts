import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { RunRequest, type Logger } from '@cairn/contracts';
import { keepAliveMs, type RunnerConfig } from '../config.js';
import { JobLockRepository } from '../repositories/job-lock.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER, RUNNER_CONFIG } from '../tokens.js';
import { RunService, type Disposition } from './run.service.js';

/** A pull waits this long for work, which is also the longest a stopping runner waits for its last pull. */
const PULL_EXPIRES_MS = 2000;
/** When the catalog does not answer, the request comes back after this long. */
const RETRY_LATER_MS = 10_000;
/** A request for a job that another run holds comes back after this long, to wait its turn. */
const JOB_BUSY_MS = 2_000;

/**
 * Pulls run requests from the shared durable consumer, CAIRN_RUNNER_CONCURRENCY at a time, keeps
 * each message alive while its run lasts, and settles it by the run's outcome. A run holds its
 * job's lock, so a second request for a busy job goes back to the queue to wait. Stopping lets the
 * runs finish, or after the grace period aborts them and hands their messages back.
 */
@Injectable()
export class WorkQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private readonly shutdown = new AbortController();
  private workers: Promise<void>[] = [];

  constructor(
    private readonly nats: NatsRepository,
    private readonly locks: JobLockRepository,
    private readonly runs: RunService,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.workers = Array.from({ length: this.config.CAIRN_RUNNER_CONCURRENCY }, () => this.work());
    this.logger.info({ concurrency: this.workers.length }, 'pulling run requests');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const grace = setTimeout(() => {
      this.logger.warn('grace period over: aborting the runs still going');
      this.shutdown.abort();
    }, this.config.CAIRN_RUNNER_GRACE_MS);
    await Promise.all(this.workers);
    clearTimeout(grace);
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      let msg: JsMsg | null;
      try {
        msg = await this.nats.nextRequest(PULL_EXPIRES_MS);
      } catch (error) {
        if (this.stopping) break;
        this.logger.warn({ err: error }, 'cannot pull run requests; trying again');
        await sleep(1000);
        continue;
      }
      if (!msg) continue;
      if (this.stopping) {
        msg.nak();
        break;
      }
      await this.process(msg);
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    const request = RunRequest.safeParse(parse(msg));
    if (!request.success) {
      this.logger.error({ issues: request.error.issues }, 'dropping an invalid run request');
      msg.term('invalid run request');
      return;
    }
    const { runId, jobId } = request.data;
    const lock = await this.locks
      .tryAcquire(jobId, `${this.config.CAIRN_RUNNER_NAME} ${runId}`)
      .catch((error: unknown) => {
        this.logger.warn({ err: error, runId, jobId }, 'cannot take the job lock; the request waits');
        return 'unavailable' as const;
      });
    if (lock === 'unavailable') return void msg.nak(RETRY_LATER_MS);
    if (!lock) {
      this.logger.debug({ runId, jobId }, 'another run of the job is going; the request waits its turn');
      return void msg.nak(JOB_BUSY_MS);
    }
    const keepAlive = setInterval(() => msg.working(), keepAliveMs(this.config));
    let disposition: Disposition;
    try {
      disposition = await this.runs.run(request.data, this.shutdown.signal);
    } catch (error) {
      this.logger.error({ err: error, runId }, 'run could not be carried out; it will be retried');
      disposition = 'retry-later';
    } finally {
      clearInterval(keepAlive);
      await lock.release();
    }
    if (disposition === 'ack') await msg.ackAck();
    else if (disposition === 'retry-later') msg.nak(RETRY_LATER_MS);
    else msg.nak();
  }
}

function parse(msg: JsMsg): unknown {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
}
