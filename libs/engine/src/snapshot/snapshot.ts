import { CairnError, isCairnError } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import { mapLimit } from '../util/limiter.js';

export interface BackupSummary {
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  dirs: number;
  otherEntries: number;
  bytesRead: number;
  bytesTotal: number;
  /** Bytes of new blobs as stored (after compression and encryption). */
  bytesAdded: number;
  blobsAdded: number;
  packsWritten: number;
  warnings: number;
  durationMs: number;
}

/** The JSON stored (encrypted) in `snapshots/<id>`. */
export interface Snapshot {
  time: string;
  host: string;
  username: string;
  paths: string[];
  tags: string[];
  tree: string;
  parent?: string;
  excludes?: string[];
  job?: string;
  programVersion: string;
  summary?: BackupSummary;
}

export interface SnapshotRecord extends Snapshot {
  id: string;
}

export async function saveSnapshot(repo: Repository, snapshot: Snapshot): Promise<string> {
  return repo.saveJson('snapshot', snapshot);
}

/** Every snapshot, oldest first. */
export async function listSnapshots(repo: Repository): Promise<SnapshotRecord[]> {
  const files = await repo.backend.list('snapshot');
  const snapshots = await mapLimit(files, repo.options.connections, async ({ name }) => ({
    ...(await repo.loadJson<Snapshot>('snapshot', name)),
    id: name,
  }));
  return snapshots.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

/** Resolves `latest`, a full id, or a unique prefix of at least 8 hex digits. */
export async function findSnapshot(repo: Repository, ref: string): Promise<SnapshotRecord> {
  if (ref === 'latest') {
    const all = await listSnapshots(repo);
    const latest = all.at(-1);
    if (!latest) throw new CairnError('not-found', 'the repository has no snapshots yet');
    return latest;
  }
  if (!/^[0-9a-f]{8,64}$/.test(ref)) {
    throw new CairnError('usage', `"${ref}" is not a snapshot id (use latest, or at least 8 hex digits)`);
  }
  const matches = (await repo.backend.list('snapshot')).filter((file) => file.name.startsWith(ref));
  if (matches.length === 0) throw new CairnError('not-found', `no snapshot matches "${ref}"`);
  if (matches.length > 1)
    throw new CairnError('usage', `"${ref}" matches ${matches.length} snapshots; give more digits`);
  const id = matches[0]!.name;
  try {
    return { ...(await repo.loadJson<Snapshot>('snapshot', id)), id };
  } catch (error) {
    if (isCairnError(error, 'not-found')) throw new CairnError('not-found', `snapshot ${id} disappeared`);
    throw error;
  }
}

/** The snapshot a new backup compares against: the newest one of the same host and paths. */
export async function findParent(
  repo: Repository,
  host: string,
  paths: readonly string[],
): Promise<SnapshotRecord | undefined> {
  const key = [...paths].sort().join('\0');
  const candidates = (await listSnapshots(repo)).filter(
    (snapshot) => snapshot.host === host && [...snapshot.paths].sort().join('\0') === key,
  );
  return candidates.at(-1);
}
