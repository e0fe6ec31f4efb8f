import { CairnError } from '../errors.js';
import type { SnapshotRecord } from '../snapshot/snapshot.js';

/** Below this share of its parent's files a snapshot's source counts as missing (a share not mounted). */
export const DEFAULT_SHRINKAGE_PERCENT = 50;

export interface SourceShrinkage {
  snapshot: string;
  parent: string;
  files: number;
  parentFiles: number;
  thresholdPercent: number;
}

/** Files (of any state) the snapshot's summary counted; undefined for snapshots without one. */
export function fileCount(snapshot: SnapshotRecord): number | undefined {
  const summary = snapshot.summary;
  return summary ? summary.filesNew + summary.filesChanged + summary.filesUnmodified : undefined;
}

/**
 * Whether `snapshot` holds so many fewer files than `parent` — none at all, or fewer than
 * `thresholdPercent` % — that its source was probably missing, emptied or not mounted, so that
 * retention must not count it as a good backup. The runner and `cairn forget` both decide by this.
 */
export function sourceShrinkage(
  snapshot: SnapshotRecord,
  parent: SnapshotRecord | undefined,
  thresholdPercent = DEFAULT_SHRINKAGE_PERCENT,
): SourceShrinkage | undefined {
  const files = fileCount(snapshot);
  const parentFiles = parent && fileCount(parent);
  if (!parent || files === undefined || parentFiles === undefined || parentFiles === 0) return undefined;
  if (files > 0 && files * 100 >= parentFiles * thresholdPercent) return undefined;
  return { snapshot: snapshot.id, parent: parent.id, files, parentFiles, thresholdPercent };
}

export function describeShrinkage(shrinkage: SourceShrinkage): string {
  return (
    `snapshot ${shrinkage.snapshot.slice(0, 8)} holds ${shrinkage.files} files, its parent ` +
    `${shrinkage.parent.slice(0, 8)} held ${shrinkage.parentFiles} (fewer than ${shrinkage.thresholdPercent} %): ` +
    'its source may have been missing, emptied or not mounted'
  );
}

/** Thrown by `forget` when a group's newest snapshot shrank: applying the policy could lose the data. */
export class ShrunkSourceError extends CairnError {
  constructor(readonly shrinkage: SourceShrinkage) {
    super('usage', `${describeShrinkage(shrinkage)}; forget refused, nothing was removed`);
  }
}
