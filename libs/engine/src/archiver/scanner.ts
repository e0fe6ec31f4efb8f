import { promises as fs } from 'node:fs';
import { Limiter } from '../util/limiter.js';

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
  const limiter = new Limiter(8);
  const visit = async (path: string): Promise<void> => {
    if (signal?.aborted) return;
    const stats = await limiter.run(() => fs.lstat(path)).catch(() => undefined);
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
