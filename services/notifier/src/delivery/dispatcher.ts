import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Logger, type ResolvedChannel } from '@cairn/contracts';
import type { Report } from '../report/report.js';
import { CatalogRepository } from '../repositories/catalog.repository.js';
import { LOGGER } from '../tokens.js';
import { Deliverer, type Outcome } from './deliverer.js';

/**
 * Sends a report to every channel it concerns: the job's own channels, or the default ones when it
 * picked none; enabled; wanting the report's level. Channels go in parallel, so one that keeps
 * failing delays none of the others. Resolves when each has delivered or run out of attempts;
 * rejects (so the event is redelivered) only when the catalog could not be reached.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly deliverer: Deliverer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async dispatch(report: Report, channelIds: string[] = []): Promise<Outcome[]> {
    const channels = (await this.channelsFor(channelIds)).filter(
      (channel) => channel.enabled && channel.levels.includes(report.audience),
    );
    this.logger.debug({ report: report.key, channels: channels.length }, 'dispatching report');
    const outcomes = await Promise.allSettled(
      channels.map((channel) => this.deliverer.deliver(report, channel)),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<Outcome>).value);
  }

  private async channelsFor(channelIds: string[]): Promise<ResolvedChannel[]> {
    if (channelIds.length > 0) return this.catalog.call(CATALOG.channels.resolve, { ids: channelIds });
    return (await this.catalog.call(CATALOG.channels.resolve, {})).filter((channel) => channel.default);
  }
}
