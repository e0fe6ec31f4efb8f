import { Injectable } from '@nestjs/common';
import { DataSource, In, MoreThan, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { RunFilter, RunStats, RunStatus } from '@cairn/contracts';
import { RunEntity } from '../entities/run.entity.js';

export type NewRun = Pick<RunEntity, 'id' | 'jobId' | 'kind' | 'trigger' | 'restore'>;

export interface RunOutcome {
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date;
  stats: RunStats;
  error: string | null;
  log: string[];
}

/** A run in one of these states has not finished; only these may move on. */
const UNFINISHED: RunStatus[] = ['queued', 'running'];
/** A run that ended so counts as a success (the notifier's overdue check agrees: contracts/overdue). */
const SUCCEEDED: RunStatus[] = ['succeeded', 'warning'];

@Injectable()
export class RunRepository {
  private readonly table: Repository<RunEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(RunEntity);
  }

  list({ jobId, status, kind, limit, offset }: RunFilter): Promise<RunEntity[]> {
    return this.table.find({
      // TypeORM refuses an undefined value in a where: an absent filter is left out.
      where: { ...(jobId && { jobId }), ...(status && { status }), ...(kind && { kind }) },
      order: { queuedAt: 'DESC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** The newest `perJob` runs of each job (one query, ranked per job on the job/queued index). */
  recent(perJob: number): Promise<RunEntity[]> {
    const ranked = this.table
      .createQueryBuilder('ranked')
      .select('ranked.id', 'id')
      .addSelect(
        'ROW_NUMBER() OVER (PARTITION BY ranked.job_id ORDER BY ranked.queued_at DESC, ranked.id)',
        'rank',
      );
    return this.table
      .createQueryBuilder('run')
      .where(`run.id IN (SELECT id FROM (${ranked.getQuery()}) AS newest WHERE rank <= :perJob)`, { perJob })
      .orderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'ASC')
      .getMany();
  }

  get(id: string): Promise<RunEntity | null> {
    return this.table.findOneBy({ id });
  }

  /** Whether a run of the job finished after `time` (its record is newer than one from then). */
  finishedAfter(jobId: string, time: Date): Promise<boolean> {
    return this.table.existsBy({ jobId, finishedAt: MoreThan(time) });
  }

  /** The last finished run of each job and kind (the metrics' "last run"). */
  latestFinished(): Promise<RunEntity[]> {
    return this.latestPerJobAndKind(this.table.createQueryBuilder('run').where('run.finishedAt IS NOT NULL'));
  }

  /** The last successful run of each job and kind. */
  latestSucceeded(): Promise<RunEntity[]> {
    return this.latestPerJobAndKind(
      this.table
        .createQueryBuilder('run')
        .where({ status: In(SUCCEEDED) })
        .andWhere('run.finishedAt IS NOT NULL'),
    );
  }

  /** Each job's repository size as its last run that measured it found it (backups and prunes do). */
  async repositorySizes(): Promise<Map<string, number>> {
    const rows = await this.table
      .createQueryBuilder('run')
      .select('run.jobId', 'jobId')
      .addSelect(`(run.stats->>'repositorySize')::bigint`, 'size')
      .distinctOn(['run.jobId'])
      .where(`run.stats->>'repositorySize' IS NOT NULL`)
      .andWhere('run.finishedAt IS NOT NULL')
      .orderBy('run.jobId')
      .addOrderBy('run.finishedAt', 'DESC')
      .getRawMany<{ jobId: string; size: string }>();
    return new Map(rows.map((row) => [row.jobId, Number(row.size)]));
  }

  private latestPerJobAndKind(query: SelectQueryBuilder<RunEntity>): Promise<RunEntity[]> {
    return query
      .distinctOn(['run.jobId', 'run.kind'])
      .orderBy('run.jobId')
      .addOrderBy('run.kind')
      .addOrderBy('run.finishedAt', 'DESC')
      .getMany();
  }

  /** INSERT … ON CONFLICT DO NOTHING: whether this call created the row. */
  async createIfAbsent(run: NewRun): Promise<boolean> {
    const result = await this.table
      .createQueryBuilder()
      .insert()
      .values({ ...run, status: 'queued', queuedAt: new Date(), log: [] })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Queued → running; a run already running or finished stays as it is. Whether it changed. */
  async markStarted(id: string, startedAt: Date): Promise<boolean> {
    const result = await this.table.update({ id, status: 'queued' }, { status: 'running', startedAt });
    return (result.affected ?? 0) > 0;
  }

  /** Records how a run ended, once: a finished run keeps its first outcome. Whether it changed. */
  async markFinished(id: string, outcome: RunOutcome): Promise<boolean> {
    const result = await this.table
      .createQueryBuilder()
      .update()
      .set({
        status: outcome.status,
        // The started event may have been lost; the finished event knows when the run began.
        startedAt: () => `COALESCE("started_at", :startedAt)`,
        finishedAt: outcome.finishedAt,
        stats: outcome.stats,
        error: outcome.error,
        log: outcome.log,
      })
      .setParameter('startedAt', outcome.startedAt)
      .where({ id, status: In(UNFINISHED) })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
