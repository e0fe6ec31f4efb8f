import { Inject, Injectable } from '@nestjs/common';
import {
  CATALOG,
  RemoteError,
  RunFinished,
  RunStarted,
  SUBJECTS,
  type Logger,
  type ResolvedJob,
  type RunRequest,
  type RunStats,
  type RunStatus,
  type SnapshotRecord,
} from '@cairn/contracts';
import { isCairnError, type Repository } from '@cairn/engine';
import type { RunnerConfig } from '../config.js';
import { EngineRepository } from '../repositories/engine.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER, RUNNER_CONFIG } from '../tokens.js';
import { describeLimits } from '../utils/bandwidth-words.js';
import { describeError } from '../utils/errors.js';
import { isOtherJobs } from '../utils/job-snapshots.js';
import { ProgressReporter } from '../utils/progress-reporter.js';
import { RunLog } from '../utils/run-log.js';
import { OperationsService } from './operations.service.js';

/** What becomes of the work message: done with, tried again later, or handed to another runner now. */
export type Disposition = 'ack' | 'retry-later' | 'requeue';

interface Outcome {
  status: RunStatus;
  stats: RunStats;
  error: string | null;
  failedAtStart: boolean;
  snapshots?: SnapshotRecord[];
}

/** More would make the run-finished event too big for NATS; the next run's sync brings them. */
const MAX_EVENT_SNAPSHOTS = 1000;

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'warning', 'failed', 'cancelled']);
const CANCELLED = 'cancel requested';
const SHUTDOWN = 'runner shutting down';

/** One run from request to run-finished event (DESIGN §2): the life cycle around the operation. */
@Injectable()
export class RunService {
  constructor(
    private readonly nats: NatsRepository,
    private readonly engine: EngineRepository,
    private readonly operations: OperationsService,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Runs a request. `shutdown` aborts it when the runner must stop: such a run is handed back to
   * the queue rather than reported, so that another runner does it (reusing the uploaded packs).
   */
  async run(request: RunRequest, shutdown: AbortSignal): Promise<Disposition> {
    const logger = this.logger.child({ runId: request.runId, jobId: request.jobId, kind: request.kind });
    const recorded = await this.recordedStatus(request.runId);
    if (recorded === 'unavailable') {
      logger.warn('the catalog does not answer; the request waits');
      return 'retry-later';
    }
    if (recorded && FINISHED.has(recorded)) {
      logger.info({ status: recorded }, 'the run has already finished; dropping the repeated request');
      return 'ack';
    }

    const startedAt = new Date().toISOString();
    const log = new RunLog(logger);
    const abort = new AbortController();
    const stopListening = this.nats.onCancel(request.runId, () => abort.abort(CANCELLED));
    const onShutdown = () => abort.abort(SHUTDOWN);
    shutdown.addEventListener('abort', onShutdown, { once: true });
    const progress = new ProgressReporter(request.runId, (update) => this.nats.publishProgress(update));
    let outcome: Outcome;
    try {
      await this.nats.publishEvent(SUBJECTS.runStarted, RunStarted, {
        runId: request.runId,
        jobId: request.jobId,
        kind: request.kind,
        startedAt,
        runner: this.config.CAIRN_RUNNER_NAME,
      });
      log.info(
        // The delivery count says nothing here: a request for a busy job comes back many times unrun.
        `${request.kind} started on ${this.config.CAIRN_RUNNER_NAME}${recorded === 'running' ? ' again (an earlier attempt was interrupted)' : ''}`,
      );
      outcome = await this.execute(request, abort.signal, progress, log);
    } finally {
      progress.stop();
      stopListening();
      shutdown.removeEventListener('abort', onShutdown);
    }
    if (outcome.status === 'cancelled' && abort.signal.reason === SHUTDOWN) {
      log.warn('stopped because the runner is shutting down; the request goes back to the queue');
      return 'requeue';
    }
    await this.nats.publishEvent(SUBJECTS.runFinished, RunFinished, {
      runId: request.runId,
      jobId: request.jobId,
      kind: request.kind,
      ...outcome,
      startedAt,
      finishedAt: new Date().toISOString(),
      logTail: log.tail,
    });
    return 'ack';
  }

  /** The status the catalog has for the run; null when it does not know the run. */
  private async recordedStatus(runId: string): Promise<RunStatus | null | 'unavailable'> {
    try {
      return (await this.nats.request(CATALOG.runs.get, { id: runId })).status;
    } catch (error) {
      if (error instanceof RemoteError && error.body.code === 'not-found') return null;
      return 'unavailable';
    }
  }

  private async execute(
    request: RunRequest,
    signal: AbortSignal,
    progress: ProgressReporter,
    log: RunLog,
  ): Promise<Outcome> {
    let job: ResolvedJob | undefined;
    let repo: Repository | undefined;
    let outcome: Outcome;
    try {
      job = await this.nats.request(CATALOG.jobs.resolve, { id: request.jobId });
      log.hide(job.passphrase, ...Object.values(job.destination.secrets));
      progress.update('opening repository');
      const limits = job.limits && describeLimits(job.limits);
      if (limits) log.info(limits);
      repo = await this.engine.open(job, request.kind === 'backup', signal);
      const result = await this.operations.execute(request.kind, {
        request,
        job,
        repo,
        signal,
        progress,
        log,
      });
      outcome = {
        status: result.warnings > 0 ? 'warning' : 'succeeded',
        stats: result.stats,
        error: result.error ?? null,
        failedAtStart: false,
      };
    } catch (error) {
      const cancelled = signal.aborted || isCairnError(error, 'cancelled');
      const message = cancelled ? `cancelled (${signal.reason ?? 'by the engine'})` : describeError(error);
      // A cancel is what someone asked for, not an error.
      if (cancelled) log.info(message);
      else log.error(message);
      outcome = {
        status: cancelled ? 'cancelled' : 'failed',
        stats: {},
        error: message,
        // Opening the repository is the last step before the work.
        failedAtStart: !cancelled && repo === undefined,
      };
    }
    if (job && repo) {
      try {
        const snapshots = await this.jobSnapshots(job, repo);
        outcome.stats.repositorySize = await this.engine.storedBytes(repo);
        if (snapshots.length <= MAX_EVENT_SNAPSHOTS) outcome.snapshots = snapshots;
        await this.nats.request(CATALOG.snapshots.sync, { jobId: job.id, snapshots });
      } catch (error) {
        log.warn(`could not update the snapshot list now: ${describeError(error)}`);
      } finally {
        await repo.close();
      }
    }
    return outcome;
  }

  /** The job's snapshots as the repository now has them, with those made by the CLI (which carry no job). */
  private async jobSnapshots(job: ResolvedJob, repo: Repository): Promise<SnapshotRecord[]> {
    return (await this.engine.snapshots(repo))
      .filter((snapshot) => !isOtherJobs(snapshot, job.id))
      .map((snapshot) => ({
        id: snapshot.id,
        jobId: job.id,
        time: snapshot.time,
        host: snapshot.host,
        paths: snapshot.paths,
        tags: snapshot.tags,
        summary: snapshot.summary ? { ...snapshot.summary } : null,
      }));
  }
}
