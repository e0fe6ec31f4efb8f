import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { overdueAfterMinutes, overdueState, type RunStatus } from '@cairn/contracts';
import type { JobEntity } from '../entities/job.entity.js';
import type { RunEntity } from '../entities/run.entity.js';
import { toJob } from '../mappers/job.mapper.js';
import { JobRepository } from '../repositories/job.repository.js';
import { RunRepository } from '../repositories/run.repository.js';

/** The statuses a finished run can have: `cairn_job_last_run_status` is 1 for one of them, 0 for the rest. */
const FINISHED: RunStatus[] = ['succeeded', 'warning', 'failed', 'cancelled'];
const FILE_CHANGES = { new: 'filesNew', changed: 'filesChanged', unmodified: 'filesUnmodified' } as const;

/** What one scrape reads from the database. */
interface Snapshot {
  jobs: JobEntity[];
  /** Job names by id. */
  names: Map<string, string>;
  lastRuns: RunEntity[];
  lastSuccesses: RunEntity[];
  repositorySizes: Map<string, number>;
}

type Labels = Record<string, string>;
type Series = [Labels, number][];

const seconds = (date: Date) => date.getTime() / 1000;

/**
 * The per-job series of `/metrics`, read from the runs the catalog records at each scrape (so every
 * catalog replica answers the same). `job_id` and `job_name` name the job: Prometheus keeps `job`
 * for the scrape job.
 */
@Injectable()
export class JobMetricsService {
  readonly registry = new Registry();
  /** One database read per scrape however many gauges ask for it at once. */
  private reading?: Promise<Snapshot>;

  constructor(
    private readonly jobs: JobRepository,
    private readonly runs: RunRepository,
  ) {
    const jobLabels = ['job_id', 'job_name'];
    const runLabels = [...jobLabels, 'kind'];
    this.gauge(
      'cairn_job_last_run_timestamp_seconds',
      'When the last finished run of the job and kind ended (Unix time).',
      runLabels,
      (s) => s.lastRuns.map((run) => [this.runLabels(s, run), seconds(run.finishedAt!)]),
    );
    this.gauge(
      'cairn_job_last_run_status',
      'The status of the last finished run of the job and kind: 1 for its status, 0 for the others.',
      [...runLabels, 'status'],
      (s) =>
        s.lastRuns.flatMap((run) =>
          FINISHED.map((status): [Labels, number] => [
            { ...this.runLabels(s, run), status },
            run.status === status ? 1 : 0,
          ]),
        ),
    );
    this.gauge(
      'cairn_job_last_run_duration_seconds',
      'How long the last finished run of the job and kind took.',
      runLabels,
      (s) =>
        s.lastRuns
          .filter((run) => run.startedAt)
          .map((run) => [
            this.runLabels(s, run),
            (run.finishedAt!.getTime() - run.startedAt!.getTime()) / 1000,
          ]),
    );
    this.gauge(
      'cairn_job_last_success_timestamp_seconds',
      'When the last successful run (succeeded or warning) of the job and kind ended (Unix time).',
      runLabels,
      (s) => s.lastSuccesses.map((run) => [this.runLabels(s, run), seconds(run.finishedAt!)]),
    );
    this.gauge(
      'cairn_job_last_backup_added_bytes',
      'Bytes the last successful backup added to the repository.',
      jobLabels,
      (s) =>
        this.lastBackups(s).flatMap((run) =>
          run.stats?.bytesAdded === undefined ? [] : [[this.jobLabels(s, run.jobId), run.stats.bytesAdded]],
        ),
    );
    this.gauge(
      'cairn_job_last_backup_files',
      'Files of the last successful backup, by change since the snapshot before (new, changed, unmodified).',
      [...jobLabels, 'change'],
      (s) =>
        this.lastBackups(s).flatMap((run) =>
          Object.entries(FILE_CHANGES).flatMap(([change, field]): Series => {
            const count = run.stats?.[field];
            return count === undefined ? [] : [[{ ...this.jobLabels(s, run.jobId), change }, count]];
          }),
        ),
    );
    this.gauge(
      'cairn_job_repository_size_bytes',
      "The size of the job's repository when a run last measured it.",
      jobLabels,
      (s) =>
        s.jobs.flatMap((job) => {
          const size = s.repositorySizes.get(job.id);
          return size === undefined ? [] : [[this.jobLabels(s, job.id), size]];
        }),
    );
    this.gauge(
      'cairn_job_overdue_after_seconds',
      "How long an enabled job may go without a successful backup: its own threshold, else twice its schedule's interval.",
      jobLabels,
      (s) =>
        s.jobs.flatMap((job) => {
          const minutes = job.enabled ? overdueAfterMinutes(toJob(job)) : null;
          return minutes === null ? [] : [[this.jobLabels(s, job.id), minutes * 60]];
        }),
    );
    this.gauge(
      'cairn_job_overdue',
      'Whether the job has had no successful backup for longer than cairn_job_overdue_after_seconds (since its creation when it never had one).',
      jobLabels,
      (s) =>
        s.jobs.map((job) => {
          const success = s.lastSuccesses.find((run) => run.jobId === job.id && run.kind === 'backup');
          const state = overdueState(toJob(job), success?.finishedAt?.toISOString() ?? null);
          return [this.jobLabels(s, job.id), state ? 1 : 0];
        }),
    );
    this.gauge('cairn_job_enabled', 'Whether the job is enabled (1) or paused (0).', jobLabels, (s) =>
      s.jobs.map((job) => [this.jobLabels(s, job.id), job.enabled ? 1 : 0]),
    );
  }

  private gauge(
    name: string,
    help: string,
    labelNames: string[],
    series: (snapshot: Snapshot) => Series,
  ): void {
    const read = () => this.snapshot();
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const snapshot = await read();
        this.reset();
        for (const [labels, value] of series(snapshot)) this.set(labels, value);
      },
    });
  }

  private snapshot(): Promise<Snapshot> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<Snapshot> {
    const [jobs, lastRuns, lastSuccesses, repositorySizes] = await Promise.all([
      this.jobs.list(),
      this.runs.latestFinished(),
      this.runs.latestSucceeded(),
      this.runs.repositorySizes(),
    ]);
    const names = new Map(jobs.map((job) => [job.id, job.name]));
    // A run whose job went between the reads has no name to show.
    const ofKnownJob = (run: RunEntity) => names.has(run.jobId);
    return {
      jobs,
      names,
      lastRuns: lastRuns.filter(ofKnownJob),
      lastSuccesses: lastSuccesses.filter(ofKnownJob),
      repositorySizes,
    };
  }

  private lastBackups(snapshot: Snapshot): RunEntity[] {
    return snapshot.lastSuccesses.filter((run) => run.kind === 'backup');
  }

  private jobLabels(snapshot: Snapshot, jobId: string): Labels {
    return { job_id: jobId, job_name: snapshot.names.get(jobId) ?? '' };
  }

  private runLabels(snapshot: Snapshot, run: RunEntity): Labels {
    return { ...this.jobLabels(snapshot, run.jobId), kind: run.kind };
  }
}
