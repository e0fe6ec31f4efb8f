import { Inject, Injectable } from '@nestjs/common';
import type { Logger, Run, RunFilter, RunFinished, RunStarted } from '@cairn/contracts';
import type { NewRun } from '../repositories/run.repository.js';
import { toRun } from '../mappers/run.mapper.js';
import { RunRepository } from '../repositories/run.repository.js';
import { LOGGER } from '../tokens.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';

export type RunRequestFields = Omit<NewRun, 'restore'> & { restore?: NonNullable<NewRun['restore']> };

@Injectable()
export class RunService {
  constructor(
    private readonly runs: RunRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async recent(perJob: number): Promise<Run[]> {
    return (await this.runs.recent(perJob)).map(toRun);
  }

  async list(filter: RunFilter): Promise<Run[]> {
    return (await this.runs.list(filter)).map(toRun);
  }

  async get(id: string): Promise<Run> {
    return toRun(await this.find(id));
  }

  async log(id: string): Promise<{ lines: string[] }> {
    return { lines: (await this.find(id)).log };
  }

  /**
   * Idempotent on the run id: two scheduler replicas handling one cron fire create one run, and
   * the second learns that it did not create it.
   */
  async create(request: RunRequestFields): Promise<{ run: Run; created: boolean }> {
    const created = await translateConstraints(
      this.runs.createIfAbsent({ ...request, restore: request.restore ?? null }),
      { runs_job_id_fkey: () => errors.unknownReference('jobId', 'job', request.jobId) },
    );
    if (created)
      this.logger.info({ runId: request.id, jobId: request.jobId, kind: request.kind }, 'run queued');
    return { run: await this.get(request.id), created };
  }

  async recordStarted(event: RunStarted): Promise<void> {
    const changed = await this.runs.markStarted(event.runId, new Date(event.startedAt));
    if (changed) this.logger.info({ runId: event.runId, runner: event.runner }, 'run started');
    else await this.explainIgnored(event.runId, 'started');
  }

  async recordFinished(event: RunFinished): Promise<void> {
    const changed = await this.runs.markFinished(event.runId, {
      status: event.status,
      startedAt: new Date(event.startedAt),
      finishedAt: new Date(event.finishedAt),
      stats: event.stats,
      error: event.error,
      log: event.logTail,
    });
    if (changed) this.logger.info({ runId: event.runId, status: event.status }, 'run finished');
    else await this.explainIgnored(event.runId, 'finished');
  }

  /** An event that changed nothing is a redelivery, a late duplicate, or about a run we never had. */
  private async explainIgnored(runId: string, event: string): Promise<void> {
    const run = await this.runs.get(runId);
    if (run) this.logger.debug({ runId, status: run.status }, `run ${event} event changes nothing`);
    else this.logger.warn({ runId }, `run ${event} event for an unknown run`);
  }

  private async find(id: string) {
    const run = await this.runs.get(id);
    if (!run) throw errors.notFound('run', id);
    return run;
  }
}
