import { Injectable } from '@nestjs/common';
import { basename } from 'node:path';
import {
  addKey,
  backup,
  check,
  dump,
  findEntry,
  findSnapshot,
  forget,
  isCairnError,
  listSnapshots,
  loadTree,
  openBackend,
  parseCompressionMode,
  prune,
  removeKey,
  repairIndex,
  Repository,
  repositoryStats,
  restore,
  testBackend,
  unlock,
  withTimeout,
  CairnError,
  type Backend,
  type BackendOptions,
  type BandwidthLimits,
  type BackupOptions,
  type BackupResult,
  type CheckOptions,
  type CheckResult,
  type LockInfo,
  type ForgetOptions,
  type ForgetResult,
  type PruneOptions,
  type PruneResult,
  type RepairIndexResult,
  type RestoreOptions,
  type RestoreResult,
  type SnapshotRecord,
  type TreeNode,
} from '@cairn/engine';
import type { ResolvedJob } from '@cairn/contracts';
import { backendOptions } from '../utils/backend-options.js';

const MiB = 1024 * 1024;
/** A destination test must answer before the caller's request times out, so it neither waits long nor retries. */
const PROBE: Pick<BackendOptions, 'timeoutMs' | 'retry'> = { timeoutMs: 5000, retry: { attempts: 1 } };
/** The whole test's deadline, well inside the gateway's 60 s: a file system that never answers fails it. */
const PROBE_DEADLINE_MS = 20_000;

export interface DestinationProbe {
  /** The location already holds a repository, so it was only read, never written. */
  holdsRepository: boolean;
  latencyMs: number;
  problems: string[];
}

/** The runner's access to repository bytes: everything goes through libs/engine. */
@Injectable()
export class EngineRepository {
  /**
   * Opens a job's repository; `create` makes it first when there is none yet (a job's first backup).
   * `signal` is the run's: a cancel ends the waits of the job's bandwidth limits at once.
   */
  async open(job: ResolvedJob, create = false, signal?: AbortSignal): Promise<Repository> {
    const backend = backendOf(job.destination, job.limits, signal);
    const options = { compression: parseCompressionMode(job.compression), packSize: job.packSizeMiB * MiB };
    try {
      try {
        return await Repository.open(backend, job.passphrase, options);
      } catch (error) {
        if (!create || !isCairnError(error, 'repository-not-found')) throw error;
      }
      try {
        return await Repository.init(backend, job.passphrase, options);
      } catch (error) {
        // Another run of the same job made it a moment ago.
        if (isCairnError(error, 'repository-exists'))
          return await Repository.open(backend, job.passphrase, options);
        throw error;
      }
    } catch (error) {
      await backend.close();
      throw error;
    }
  }

  /** Opens the repository at a destination with one passphrase, for work on its keys. */
  async openWith(destination: ResolvedJob['destination'], passphrase: string): Promise<Repository> {
    const backend = backendOf(destination);
    try {
      return await Repository.open(backend, passphrase);
    } catch (error) {
      await backend.close();
      throw error;
    }
  }

  /** Adds a key for another passphrase; returns its name. */
  addKey(repo: Repository, passphrase: string): Promise<string> {
    return addKey(repo, passphrase);
  }

  removeKey(repo: Repository, name: string): Promise<string> {
    return removeKey(repo, name);
  }

  backup(repo: Repository, options: BackupOptions): Promise<BackupResult> {
    return backup(repo, options);
  }

  async restore(repo: Repository, snapshotId: string, options: RestoreOptions): Promise<RestoreResult> {
    return restore(repo, await findSnapshot(repo, snapshotId), options);
  }

  check(repo: Repository, options: CheckOptions): Promise<CheckResult> {
    return check(repo, options);
  }

  forget(repo: Repository, options: ForgetOptions): Promise<ForgetResult> {
    return forget(repo, options);
  }

  prune(repo: Repository, options: PruneOptions): Promise<PruneResult> {
    return prune(repo, options);
  }

  repairIndex(repo: Repository, options: Parameters<typeof repairIndex>[1]): Promise<RepairIndexResult> {
    return repairIndex(repo, options);
  }

  /** Removes every lock, live or not: only for a caller that knows nothing else uses the repository. */
  removeAllLocks(repo: Repository): Promise<{ name: string; info?: LockInfo }[]> {
    return unlock(repo, { removeAll: true });
  }

  snapshots(repo: Repository): Promise<SnapshotRecord[]> {
    return listSnapshots(repo);
  }

  snapshot(repo: Repository, id: string): Promise<SnapshotRecord> {
    return findSnapshot(repo, id);
  }

  async storedBytes(repo: Repository): Promise<number> {
    return (await repositoryStats(repo)).storedBytes;
  }

  /** The entries of one folder of a snapshot. */
  async folder(repo: Repository, snapshotId: string, path: string): Promise<TreeNode[]> {
    await repo.loadIndex();
    const snapshot = await findSnapshot(repo, snapshotId);
    const { node } = await findEntry(repo, snapshot.tree, path);
    if (node.type !== 'dir' || !node.subtree) throw new CairnError('usage', `${path} is not a folder`);
    return (await loadTree(repo, node.subtree)).nodes;
  }

  /** What a download of `path` sends: a file's content, or a folder (and all below it) as tar. */
  async download(
    repo: Repository,
    snapshotId: string,
    path: string,
  ): Promise<{ name: string; kind: 'file' | 'tar'; bytes: AsyncIterable<Buffer> }> {
    await repo.loadIndex();
    const snapshot = await findSnapshot(repo, snapshotId);
    const { node } = await findEntry(repo, snapshot.tree, path);
    const name = basename(path) || 'snapshot';
    const kind = node.type === 'dir' ? 'tar' : 'file';
    return { name: kind === 'tar' ? `${name}.tar` : name, kind, bytes: dump(repo, snapshot, path) };
  }

  /**
   * Checks that a destination works: an empty location gets a test file written, listed, read back
   * and removed; one that holds a repository is only read, so that no stray file lands in it.
   */
  async probe(
    url: string,
    options: Record<string, string>,
    secrets: Record<string, string>,
  ): Promise<DestinationProbe> {
    const backend = openBackend(url, backendOptions(options, secrets, PROBE));
    try {
      return await withTimeout(
        probeBackend(backend),
        PROBE_DEADLINE_MS,
        `testing ${backend.location}`,
        () => {
          void backend.close();
        },
      );
    } finally {
      await backend.close();
    }
  }
}

async function probeBackend(backend: Backend): Promise<DestinationProbe> {
  const started = performance.now();
  const holdsRepository = await backend.stat('config', 'config').then(
    () => true,
    (error: unknown) => {
      if (isCairnError(error, 'not-found')) return false;
      throw error;
    },
  );
  if (holdsRepository) {
    await backend.list('key');
    return { holdsRepository, latencyMs: performance.now() - started, problems: [] };
  }
  const result = await testBackend(backend, { fileSize: 64 * 1024, files: 1, connections: 1 });
  return {
    holdsRepository,
    latencyMs: result.steps['round trip'].latencyMs.median,
    problems: result.problems,
  };
}

/** The destination's backend, paced to the job's bandwidth limits when it has any. */
function backendOf(
  destination: ResolvedJob['destination'],
  limits?: BandwidthLimits | null,
  signal?: AbortSignal,
) {
  return openBackend(destination.url, {
    ...backendOptions(destination.options, destination.secrets),
    ...(limits ? { limits, signal } : {}),
  });
}
