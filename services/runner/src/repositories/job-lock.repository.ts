import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { BUCKETS, type Logger, type NatsConnection } from '@cairn/contracts';
import { keepAliveMs, type RunnerConfig } from '../config.js';
import { LOGGER, NATS, RUNNER_CONFIG } from '../tokens.js';

export interface JobLock {
  release(): Promise<void>;
}

/**
 * One lock per job in a JetStream key-value bucket shared by every runner: a key is created only
 * if absent, so of two runs of one job (on one runner or two) exactly one holds it at a time.
 */
@Injectable()
export class JobLockRepository {
  private bucket?: Promise<KV>;

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
  ) {}

  /** Takes the job's lock for `holder`, or answers null when another holder has it. */
  async tryAcquire(jobId: string, holder: string): Promise<JobLock | null> {
    const bucket = await this.open();
    const value = JSON.stringify({ holder, since: new Date().toISOString() });
    let revision: number;
    try {
      revision = await bucket.create(jobId, value);
    } catch (error) {
      if (isTaken(error)) return null;
      throw error;
    }
    const refresh = setInterval(() => {
      bucket.update(jobId, value, revision).then(
        (next) => (revision = next),
        (error: unknown) => this.logger.warn({ err: error, jobId, holder }, 'cannot refresh the job lock'),
      );
    }, keepAliveMs(this.config));
    return {
      release: async () => {
        clearInterval(refresh);
        // Only our own revision: a lock that expired and was taken by another run stays theirs.
        await bucket.delete(jobId, { previousSeq: revision }).catch((error: unknown) => {
          this.logger.warn(
            { err: error, jobId, holder },
            'cannot release the job lock; it expires by itself',
          );
        });
      },
    };
  }

  private open(): Promise<KV> {
    if (!this.bucket) {
      const opening = new Kvm(this.nc).create(BUCKETS.jobLocks, {
        // A lock whose runner died frees itself as its run request is handed to another runner.
        ttl: this.config.CAIRN_RUNNER_ACK_WAIT_MS,
        history: 1,
      });
      // A failed open is tried again by the next caller.
      opening.catch(() => (this.bucket = undefined));
      this.bucket = opening;
    }
    return this.bucket;
  }
}

function isTaken(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
