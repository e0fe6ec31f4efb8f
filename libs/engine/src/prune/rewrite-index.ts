import type { IndexContent } from '../index/index-file.js';
import type { Repository } from '../repository/repository.js';

/** Index files stay small enough to load and rewrite quickly. */
const PACKS_PER_INDEX_FILE = 4096;

/**
 * Replaces every index file with new ones listing exactly `packs`. The new files are written (and
 * name what they supersede) before any old one is removed, so a crash leaves a readable repository.
 */
export async function rewriteIndex(
  repo: Repository,
  packs: IndexContent['packs'],
  oldIndexFiles: readonly string[],
): Promise<void> {
  const supersedes = [...oldIndexFiles];
  const written: string[] = [];
  for (let start = 0; start < packs.length || start === 0; start += PACKS_PER_INDEX_FILE) {
    written.push(
      await repo.saveIndexFile({ supersedes, packs: packs.slice(start, start + PACKS_PER_INDEX_FILE) }),
    );
    if (packs.length === 0) break;
  }
  for (const name of oldIndexFiles) if (!written.includes(name)) await repo.backend.remove('index', name);
}
