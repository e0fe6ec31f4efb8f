import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { dump, findSnapshot } from '@cairn/engine';
import { interruption } from '../interruption.js';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function dumpCommand(): Command {
  return withRepository(new Command('dump'))
    .description("write a file's content, or a folder as a tar archive, to stdout")
    .argument('<snapshot>', 'snapshot id, unique prefix (8+ hex digits) or "latest"')
    .argument('<path>', 'absolute path inside the snapshot')
    .action(async (ref: string, path: string, flags: RepositoryFlags) => {
      const repo = await openRepository(flags);
      try {
        await repo.loadIndex();
        const snapshot = await findSnapshot(repo, ref);
        await pipeline(Readable.from(dump(repo, snapshot, path, interruption.signal)), process.stdout);
      } finally {
        await repo.close();
      }
    });
}
