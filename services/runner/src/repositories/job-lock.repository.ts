import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
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
      const opening = this.openWithTtl(this.config.CAIRN_RUNNER_ACK_WAIT_MS);
      // A failed open is tried again by the next caller.
      opening.catch(() => (this.bucket = undefined));
      this.bucket = opening;
    }
    return this.bucket;
  }

  /**
   * A lock whose runner died frees itself after `ttl`, as its run request goes to another runner.
   * An existing bucket keeps the TTL it was made with, so a changed CAIRN_RUNNER_ACK_WAIT_MS is
   * written to it: a lock that outlived its refresh would let a second run of the job start.
   */
  private async openWithTtl(ttl: number): Promise<KV> {
    const bucket = await new Kvm(this.nc).create(BUCKETS.jobLocks, { ttl, history: 1 });
    const { ttl: current, streamInfo } = await bucket.status();
    if (current !== ttl) {
      const jsm = await jetstreamManager(this.nc);
      const maxAge = ttl * 1e6;
      // JetStream keeps a stream's duplicate window within its max age.
      const duplicateWindow = Math.min(streamInfo.config.duplicate_window, maxAge);
      await jsm.streams.update(streamInfo.config.name, {
        max_age: maxAge,
        duplicate_window: duplicateWindow,
      });
      this.logger.info({ from: current, to: ttl }, 'the job locks now expire after CAIRN_RUNNER_ACK_WAIT_MS');
    }
    return bucket;
  }
}

function isTaken(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
