import { Inject, Injectable } from '@nestjs/common';
import { countOf, formatBytes, VerifyParams, type RunKind } from '@cairn/contracts';
import { describeLock, isCairnError, type LockOptions } from '@cairn/engine';
import type { RunnerConfig } from '../config.js';
import { EngineRepository } from '../repositories/engine.repository.js';
import { FilesystemRepository } from '../repositories/filesystem.repository.js';
import { RUNNER_CONFIG } from '../tokens.js';
import { describeError } from '../utils/errors.js';
import { isOtherJobs } from '../utils/job-snapshots.js';
import { retentionPolicy } from '../utils/retention-policy.js';
import { PathGuard } from './path-guard.service.js';
import { SourceGuard } from './source-guard.service.js';
import type { OperationResult, RunContext } from './run-context.js';

/**
 * How long a run waits for a lock another run holds. Forget and prune hold the repository
 * exclusively, so a prune queued behind a backup of the same repository waits for it instead of
 * failing; 30 minutes is when the engine calls a silent lock stale anyway.
 */
const LOCK_WAIT_MS = 30 * 60_000;
/** What prune tolerates unused in a pack before repacking it: restic's default, as `cairn forget --prune`. */
const PRUNE_MAX_UNUSED = 0.05;

/** The seven kinds of run, each a short sequence of engine calls. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly engine: EngineRepository,
    private readonly fs: FilesystemRepository,
    private readonly paths: PathGuard,
    private readonly sourceGuard: SourceGuard,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
  ) {}

  execute(kind: RunKind, context: RunContext): Promise<OperationResult> {
    return this[kind](context);
  }

  private async backup(context: RunContext): Promise<OperationResult> {
    const { job, log, progress } = context;
    const paths = await Promise.all(job.sources.map((source) => this.paths.source(source)));
    const notBackedUp = await this.sourceGuard.beforeBackup(paths);
    if (notBackedUp) {
      log.warn(notBackedUp);
      return { stats: {}, warnings: 1, error: notBackedUp };
    }
    log.info(`backing up ${paths.join(', ')}`);
    const result = await this.engine.backup(context.repo, {
      paths,
      excludes: job.excludes,
      host: this.config.CAIRN_BACKUP_HOST,
      job: job.id,
      signal: context.signal,
      lock: this.lock(context),
      onProgress: ({ filesDone, filesTotal, bytesDone, bytesTotal, currentPath }) =>
        progress.update('backup', { filesDone, filesTotal, bytesDone, bytesTotal, currentPath }),
      onWarning: (warning) => log.warn(`${warning.path}: ${warning.message}`),
    });
    if (result.adoptedPacks > 0)
      log.info(`reused ${countOf(result.adoptedPacks, 'pack')} left by an interrupted backup`);
    const summary = result.snapshot.summary!;
    log.info(
      `snapshot ${result.snapshotId.slice(0, 8)} saved: ${summary.filesNew} new, ${summary.filesChanged} changed, ` +
        `${countOf(summary.filesUnmodified, 'unmodified file')}; ${formatBytes(summary.bytesAdded)} added in ${countOf(summary.packsWritten, 'pack')}`,
    );
    const stats = {
      filesNew: summary.filesNew,
      filesChanged: summary.filesChanged,
      filesUnmodified: summary.filesUnmodified,
      bytesRead: summary.bytesRead,
      bytesTotal: summary.bytesTotal,
      bytesAdded: summary.bytesAdded,
      snapshotId: result.snapshotId,
      warnings: result.warnings.length,
    };
    const shrank = await this.sourceGuard.afterBackup(context.repo, result, job.minSourceFilesPercent);
    if (shrank) {
      log.warn(shrank);
      return { stats, warnings: result.warnings.length + 1, error: shrank };
    }
    if (!job.retention) return { stats, warnings: result.warnings.length };
    try {
      await this.forget(context);
      await this.prune(context);
      return { stats, warnings: result.warnings.length };
    } catch (error) {
      // The snapshot is safe; only the clean-up failed, which the next backup tries again.
      if (context.signal.aborted || isCairnError(error, 'cancelled')) throw error;
      const message = `retention failed: ${describeError(error)}`;
      log.error(message);
      return { stats, warnings: result.warnings.length + 1, error: message };
    }
  }

  private async restore(context: RunContext): Promise<OperationResult> {
    const { request, log, progress } = context;
    if (!request.restore) throw new Error('a restore run needs restore parameters (snapshot, target)');
    const { snapshotId, include, target } = request.restore;
    const folder = await this.paths.restoreTarget(target);
    await this.fs.makeFolder(folder);
    log.info(`restoring snapshot ${snapshotId.slice(0, 8)} to ${folder}`);
    const result = await this.engine.restore(context.repo, snapshotId, {
      target: folder,
      include,
      signal: context.signal,
      lock: this.lock(context),
      onProgress: ({ filesDone, filesTotal, bytesDone, bytesTotal, currentPath }) =>
        progress.update('restore', { filesDone, filesTotal, bytesDone, bytesTotal, currentPath }),
      onWarning: (warning) => log.warn(`${warning.path}: ${warning.message}`),
    });
    log.info(
      `restored ${result.files} files, ${result.dirs} folders, ${result.bytes} bytes (content verified)`,
    );
    const warnings = result.warnings.length;
    return { stats: { snapshotId, bytesTotal: result.bytes, warnings }, warnings };
  }

  private async verify(context: RunContext): Promise<OperationResult> {
    const { log, progress } = context;
    const { readData, readDataSubset } = VerifyParams.parse(context.request.verify ?? {});
    const result = await this.engine.check(context.repo, {
      // A subset of 0 is a check of the structure alone: no pack is downloaded.
      ...(readData ? { readData } : readDataSubset > 0 ? { readDataSubset } : {}),
      signal: context.signal,
      lock: this.lock(context),
      onProgress: ({ phase, done, total }) => progress.update(phase, { filesDone: done, filesTotal: total }),
    });
    const where = (problem: { file?: string; message: string }) =>
      problem.file ? `${problem.file}: ${problem.message}` : problem.message;
    for (const hint of result.hints) log.info(`hint: ${where(hint)}`);
    for (const error of result.errors) log.error(where(error));
    const read = `${countOf(result.snapshots, 'snapshot')}, read ${result.packsRead} of ${countOf(result.packs, 'pack')}`;
    if (result.errors.length > 0) {
      throw new Error(
        `the repository has ${countOf(result.errors.length, 'error')} (${read}); first: ${where(result.errors[0]!)}`,
      );
    }
    log.info(`checked ${read}: no errors`);
    return { stats: {}, warnings: 0 };
  }

  private async forget(context: RunContext): Promise<OperationResult> {
    const { job, log } = context;
    if (!job.retention) throw new Error('the job has no retention policy to apply');
    context.progress.update('forget');
    // The engine's forget judges every snapshot in the repository; another job's must not be
    // judged by this job's policy.
    const others = (await this.engine.snapshots(context.repo)).filter((snapshot) =>
      isOtherJobs(snapshot, job.id),
    );
    if (others.length > 0) {
      throw new Error(
        `not applied: the repository also holds ${countOf(others.length, 'snapshot')} of other jobs (give each job a repository of its own)`,
      );
    }
    const result = await this.engine.forget(context.repo, {
      policy: retentionPolicy(job.retention),
      timeZone: job.schedule?.timezone ?? 'UTC',
      signal: context.signal,
      lock: this.lock(context),
    });
    log.info(`retention removed ${countOf(result.removed.length, 'snapshot')}`);
    return { stats: {}, warnings: 0 };
  }

  private async prune(context: RunContext): Promise<OperationResult> {
    const { log, progress } = context;
    progress.update('prune');
    const result = await this.engine.prune(context.repo, {
      maxUnused: PRUNE_MAX_UNUSED,
      signal: context.signal,
      lock: this.lock(context),
      onProgress: ({ phase, done, total }) => progress.update(phase, { filesDone: done, filesTotal: total }),
    });
    log.info(
      `prune freed ${formatBytes(result.bytesFreed)} (${countOf(result.packsDeleted, 'pack')} deleted, ${result.packsRepacked} repacked)`,
    );
    return { stats: {}, warnings: 0 };
  }

  /**
   * Removes every lock on the repository. Safe for the job's own runs: this run holds the job's
   * lock (WorkQueue), so no other run of the job is going, and a repository belongs to one job;
   * what is left is a crashed runner's, or that of a `cairn` command run by hand (the web app warns of that).
   */
  private async unlock({ repo, log, progress }: RunContext): Promise<OperationResult> {
    progress.update('unlock');
    const removed = await this.engine.removeAllLocks(repo);
    for (const { name, info } of removed)
      log.info(`removed lock ${name.slice(0, 8)}${info ? ` (${describeLock(info)})` : ' (unreadable)'}`);
    log.info(
      removed.length > 0 ? `${countOf(removed.length, 'lock')} removed` : 'the repository held no lock',
    );
    return { stats: {}, warnings: 0 };
  }

  /** Rebuilds the index from the pack headers; a pack whose header cannot be read is a warning. */
  private async repair(context: RunContext): Promise<OperationResult> {
    const { log, progress } = context;
    progress.update('repair');
    const result = await this.engine.repairIndex(context.repo, {
      signal: context.signal,
      lock: this.lock(context),
    });
    for (const { pack, message } of result.damaged) log.warn(`pack ${pack.slice(0, 8)} left out: ${message}`);
    log.info(`index rebuilt from ${countOf(result.packs, 'pack')}`);
    if (result.damaged.length === 0) return { stats: {}, warnings: 0 };
    return {
      stats: { warnings: result.damaged.length },
      warnings: result.damaged.length,
      error: `${countOf(result.damaged.length, 'damaged pack')} left out of the index: verify the data, then back up again`,
    };
  }

  private lock({ log, signal }: RunContext): Omit<LockOptions, 'exclusive'> {
    return {
      retryMs: LOCK_WAIT_MS,
      signal,
      onStaleLock: (info) => log.warn(`removed a stale lock (${describeLock(info)})`),
    };
  }
}
