import type { BackupSummary } from '@cairn/engine';

type FileCounts = Pick<BackupSummary, 'filesNew' | 'filesChanged' | 'filesUnmodified'>;

const filesIn = (summary: FileCounts) => summary.filesNew + summary.filesChanged + summary.filesUnmodified;

/**
 * The source guard's comparison with the parent snapshot: why the source looks far smaller than
 * before (as a share that is not mounted does), or null when it does not or cannot be told.
 * `minPercent` 0 turns it off.
 */
export function sourceShrank(
  current: FileCounts,
  parent: FileCounts | undefined,
  minPercent: number,
): string | null {
  if (!parent || minPercent === 0) return null;
  const now = filesIn(current);
  const before = filesIn(parent);
  if (before === 0 || now * 100 >= before * minPercent) return null;
  const share = Math.floor((now * 100) / before);
  return `the source holds ${now} files, ${share} % of the ${before} in the previous snapshot (below the job's ${minPercent} %)`;
}
