import { unpaddedPackSize } from './pack/pack.js';
import type { Repository } from './repository/repository.js';
import { listSnapshots, type SnapshotRecord } from './snapshot/snapshot.js';
import { snapshotEntries } from './tree/entries.js';

export interface RepositoryStats {
  snapshots: number;
  packs: number;
  /** Bytes of all packs as stored. */
  storedBytes: number;
  /** Of those, the random padding that makes each pack's size a Padmé length. */
  paddingBytes: number;
  blobs: number;
  /** Bytes of all blobs before compression and encryption. */
  rawBytes: number;
  /** rawBytes / storedBytes. */
  compressionRatio: number;
}

export interface SnapshotStats {
  snapshot: string;
  files: number;
  dirs: number;
  /** What a full restore writes. */
  restoreSize: number;
  /** Distinct data blobs the snapshot references, and their size before and after compression. */
  blobs: number;
  rawBytes: number;
  storedBytes: number;
}

export async function repositoryStats(repo: Repository): Promise<RepositoryStats> {
  await repo.loadIndex();
  const packs = await repo.backend.list('pack');
  let rawBytes = 0;
  const contents = new Map<string, { count: number; length: number }>();
  for (const [, location] of repo.index.entries()) {
    rawBytes += location.rawLength;
    const content = contents.get(location.packId) ?? { count: 0, length: 0 };
    contents.set(location.packId, { count: content.count + 1, length: content.length + location.length });
  }
  const paddingOf = (pack: { name: string; size: number }): number => {
    const content = contents.get(pack.name);
    // A pack no index lists, or one holding a blob the index locates in another pack: not known here.
    if (!content || content.count !== repo.index.packBlobCount(pack.name)) return 0;
    return pack.size - unpaddedPackSize(content.count, content.length);
  };
  const storedBytes = packs.reduce((sum, pack) => sum + pack.size, 0);
  return {
    snapshots: (await listSnapshots(repo)).length,
    packs: packs.length,
    storedBytes,
    paddingBytes: packs.reduce((sum, pack) => sum + paddingOf(pack), 0),
    blobs: repo.index.blobCount,
    rawBytes,
    compressionRatio: storedBytes > 0 ? rawBytes / storedBytes : 1,
  };
}

export async function snapshotStats(repo: Repository, snapshot: SnapshotRecord): Promise<SnapshotStats> {
  await repo.loadIndex();
  const stats: SnapshotStats = {
    snapshot: snapshot.id,
    files: 0,
    dirs: 0,
    restoreSize: 0,
    blobs: 0,
    rawBytes: 0,
    storedBytes: 0,
  };
  const seenBlobs = new Set<string>();
  for await (const { node } of snapshotEntries(repo, snapshot.tree)) {
    if (node.type === 'dir') stats.dirs++;
    if (node.type !== 'file') continue;
    stats.files++;
    stats.restoreSize += node.size ?? 0;
    for (const id of node.content ?? []) {
      if (seenBlobs.has(id)) continue;
      seenBlobs.add(id);
      const location = repo.index.get(id);
      stats.blobs++;
      stats.rawBytes += location?.rawLength ?? 0;
      stats.storedBytes += location?.length ?? 0;
    }
  }
  return stats;
}
