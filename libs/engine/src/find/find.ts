import type { Repository } from '../repository/repository.js';
import type { SnapshotRecord } from '../snapshot/snapshot.js';
import { snapshotEntries, type SnapshotEntry } from '../tree/entries.js';
import { globMatcher } from '../util/glob.js';

/** Entries of the given snapshots whose name (or, for patterns with `/`, whole path) matches. */
export async function* find(
  repo: Repository,
  snapshots: readonly SnapshotRecord[],
  patterns: readonly string[],
): AsyncGenerator<SnapshotEntry & { snapshot: SnapshotRecord }> {
  await repo.loadIndex();
  const matches = globMatcher(patterns);
  for (const snapshot of snapshots) {
    for await (const entry of snapshotEntries(repo, snapshot.tree)) {
      if (matches(entry.path.toString(), entry.node.name)) yield { ...entry, snapshot };
    }
  }
}
