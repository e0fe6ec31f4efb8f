import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Logger, type ResolvedChannel } from '@cairn/contracts';
import type { NotifierConfig } from '../config.js';
import { messageFor } from '../report/message.js';
import type { Report } from '../report/report.js';
import { CatalogRepository } from '../repositories/catalog.repository.js';
import { Senders } from '../senders/senders.js';
import { LOGGER, NOTIFIER_CONFIG } from '../tokens.js';
import { backoffMs } from './backoff.js';
import { scrub } from './scrub.js';

export interface Outcome {
  status: 'delivered' | 'already-delivered' | 'exhausted';
  /** The last attempt's error, scrubbed of secrets. */
  error?: string;
}

/**
 * Sends one report through one channel, exactly once: the catalog's delivery records say whether it
 * was delivered before (by this notifier before a restart, or by a replica), and how many attempts
 * were spent, so retries stay bounded across restarts too. Every attempt is recorded.
 */
@Injectable()
export class Deliverer {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly senders: Senders,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async deliver(
    report: Report,
    channel: ResolvedChannel,
    attempts = this.config.CAIRN_NOTIFIER_ATTEMPTS,
  ): Promise<Outcome> {
    const past = await this.catalog.call(CATALOG.deliveries.list, {
      channelId: channel.id,
      reportKey: report.key,
      limit: 500,
    });
    if (past.some((delivery) => delivery.status === 'delivered')) return { status: 'already-delivered' };
    const message = messageFor(channel, report.data);
    let attempt = Math.max(0, ...past.map((delivery) => delivery.attempt));
    let error: string | undefined;
    while (attempt < attempts) {
      attempt++;
      if (attempt > 1) await sleep(backoffMs(attempt, this.config.CAIRN_NOTIFIER_RETRY_MS));
      const started = Date.now();
      error = undefined;
      try {
        await this.senders.for(channel.kind).send(channel, message);
      } catch (failure) {
        error = scrub(failure instanceof Error ? failure.message : String(failure), channel);
      }
      await this.catalog.call(CATALOG.deliveries.record, {
        reportKey: report.key,
        channelId: channel.id,
        attempt,
        event: report.data.event,
        level: report.data.level,
        runId: report.data.run?.id ?? null,
        jobId: report.data.job.id,
        status: error === undefined ? 'delivered' : 'failed',
        subject: message.subject.slice(0, 500),
        error: error ?? null,
        durationMs: Date.now() - started,
      });
      const context = { report: report.key, channelId: channel.id, attempt };
      if (error === undefined) {
        this.logger.info(context, 'report delivered');
        return { status: 'delivered' };
      }
      this.logger.warn({ ...context, error }, 'report not delivered');
    }
    return { status: 'exhausted', ...(error === undefined ? {} : { error }) };
  }
}
