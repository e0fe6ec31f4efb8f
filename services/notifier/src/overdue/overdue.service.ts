import { Inject, Injectable } from '@nestjs/common';
import {
  CATALOG,
  overdueAfterMinutes,
  overdueState,
  type Job,
  type Logger,
  type OverdueState,
  type RunFinished,
} from '@cairn/contracts';
import { Dispatcher } from '../delivery/dispatcher.js';
import type { Report } from '../report/report.js';
import { jobData, type ReportOrigin } from '../report/run-report.js';
import { CatalogRepository } from '../repositories/catalog.repository.js';
import { LOGGER, ORIGIN } from '../tokens.js';

/**
 * The silent failure: a job that stopped succeeding without any run failing (the runner is down,
 * the schedule was lost). One `error`-level "overdue" report per lapse — its key holds the last
 * success, so repeated checks and replicas send it once — and one "recovered" report after the
 * next success, to the same channels.
 */
@Injectable()
export class OverdueService {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly dispatcher: Dispatcher,
    @Inject(ORIGIN) private readonly origin: ReportOrigin,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async check(now = new Date()): Promise<void> {
    // The catalog remembers each lapse, so the "recovered" report follows even after a restart.
    const recorded = new Map(
      (await this.catalog.call(CATALOG.overdue.list, {})).map((lapse) => [lapse.jobId, lapse.since]),
    );
    for (const job of await this.catalog.call(CATALOG.jobs.list, {})) {
      // Only jobs that can be overdue cost a look at their runs.
      if (!job.enabled || overdueAfterMinutes(job, now) === null) continue;
      const state = overdueState(job, await this.lastSuccess(job), now);
      if (!state) continue;
      const { since } = state;
      if (recorded.get(job.id) !== since)
        await this.catalog.call(CATALOG.overdue.set, { jobId: job.id, ...state });
      this.logger.info({ jobId: job.id, since }, 'job overdue');
      await this.dispatcher.dispatch(this.report('overdue', job, state), job.channelIds);
    }
  }

  /** After a successful backup: "recovered", if the job had been reported overdue. */
  async succeeded(event: RunFinished, job: Job | null): Promise<void> {
    if (event.kind !== 'backup' || (event.status !== 'succeeded' && event.status !== 'warning')) return;
    const lapses = await this.catalog.call(CATALOG.overdue.list, {});
    const lapse = lapses.find(({ jobId }) => jobId === event.jobId);
    if (!lapse) return;
    const state: OverdueState = { since: lapse.since, thresholdMinutes: lapse.thresholdMinutes };
    await this.dispatcher.dispatch(
      this.report('recovered', job ?? null, state, event.jobId),
      job?.channelIds,
    );
    await this.catalog.call(CATALOG.overdue.clear, { jobId: event.jobId });
  }

  private report(
    event: 'overdue' | 'recovered',
    job: Job | null,
    state: OverdueState,
    jobId = job?.id ?? null,
  ): Report {
    return {
      key: `${event}:${jobId}:${state.since}`,
      // Recovered goes where overdue went.
      audience: 'error',
      data: {
        event,
        level: event === 'overdue' ? 'error' : 'success',
        host: this.origin.host,
        job: jobData(job, jobId),
        run: null,
        stats: {},
        overdue: state,
      },
    };
  }

  /** The last successful backup's end, null when it never succeeded. */
  private async lastSuccess(job: Job): Promise<string | null> {
    const runs = await this.catalog.call(CATALOG.runs.list, { jobId: job.id, limit: 500 });
    const ends = runs
      .filter((run) => run.kind === 'backup' && (run.status === 'succeeded' || run.status === 'warning'))
      .map((run) => run.finishedAt)
      .filter((end): end is string => end !== null)
      .sort();
    return ends.at(-1) ?? null;
  }
}
