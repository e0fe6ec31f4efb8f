import { Inject, Injectable } from '@nestjs/common';
import { HandlerError, type Logger, type RunFinished, type SnapshotRecord } from '@cairn/contracts';
import { toSnapshotRecord } from '../mappers/snapshot.mapper.js';
import { JobRepository } from '../repositories/job.repository.js';
import { RunRepository } from '../repositories/run.repository.js';
import { SnapshotRepository } from '../repositories/snapshot.repository.js';
import { LOGGER } from '../tokens.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';

/** The catalog's mirror of each job's repository snapshots (the repository stays the truth). */
@Injectable()
export class SnapshotService {
  constructor(
    private readonly snapshots: SnapshotRepository,
    private readonly jobs: JobRepository,
    private readonly runs: RunRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(jobId: string): Promise<SnapshotRecord[]> {
    await this.requireJob(jobId);
    return (await this.snapshots.listForJob(jobId)).map(toSnapshotRecord);
  }

  async sync(jobId: string, records: SnapshotRecord[]): Promise<{ count: number }> {
    await this.requireJob(jobId);
    const foreign = records.findIndex((record) => record.jobId !== jobId);
    if (foreign >= 0) {
      throw new HandlerError(
        'bad-request',
        `snapshot ${records[foreign]!.id} belongs to job ${records[foreign]!.jobId}, not ${jobId}`,
        `snapshots.${foreign}.jobId`,
      );
    }
    const unique = new Map(records.map((record) => [record.id, record]));
    await translateConstraints(
      this.snapshots.replaceForJob(
        jobId,
        [...unique.values()].map((record) => ({ ...record, time: new Date(record.time) })),
      ),
      // The job was deleted between the check above and the write.
      { snapshots_job_id_fkey: () => errors.notFound('job', jobId) },
    );
    this.logger.info({ jobId, count: unique.size }, 'snapshot records synced');
    return { count: unique.size };
  }

  /**
   * The snapshot list a run-finished event carries, read from the durable stream: a catalog that
   * was away as the run ended catches up by itself. An older run's list never replaces a newer one.
   */
  async syncFromRun(event: RunFinished): Promise<void> {
    if (!event.snapshots) return;
    if (await this.runs.finishedAfter(event.jobId, new Date(event.finishedAt))) return;
    try {
      await this.sync(event.jobId, event.snapshots);
    } catch (error) {
      // The job was removed since: nothing to mirror.
      if (error instanceof HandlerError && error.code === 'not-found') return;
      throw error;
    }
  }

  private async requireJob(jobId: string): Promise<void> {
    if (!(await this.jobs.exists(jobId))) throw errors.notFound('job', jobId);
  }
}
