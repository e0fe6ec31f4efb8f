import { promises as fs } from 'node:fs';

export interface ScanTotals {
  files: number;
  bytes: number;
  finished: boolean;
}

/** Counts files and bytes ahead of the backup, so progress can show a total and an ETA. */
export async function scanTotals(
  paths: readonly string[],
  isExcluded: (path: string, name: string) => boolean,
  totals: ScanTotals,
  signal?: AbortSignal,
): Promise<void> {
  // One entry at a time: this only feeds the ETA, and must not compete with the backup for the disk.
  const visit = async (path: string): Promise<void> => {
    if (signal?.aborted) return;
    const stats = await fs.lstat(path).catch(() => undefined);
    if (stats?.isFile()) {
      totals.files++;
      totals.bytes += stats.size;
    } else if (stats?.isDirectory()) {
      const names = await fs.readdir(path).catch(() => [] as string[]);
      const children = names.map((name) => [path === '/' ? `/${name}` : `${path}/${name}`, name] as const);
      for (const [child, name] of children) if (!isExcluded(child, name)) await visit(child);
    }
  };
  try {
    for (const path of paths) await visit(path);
  } finally {
    totals.finished = true;
  }
}
