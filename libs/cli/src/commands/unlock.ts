import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import { describeLock, unlock } from '@cairn/engine';

import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function unlockCommand(): Command {
  return withRepository(new Command('unlock'))
    .description('remove stale locks (or all locks with --remove-all)')
    .option('--remove-all', 'remove every lock, also live ones: only when no other cairn uses the repository')
    .action(async (flags: RepositoryFlags & { removeAll?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        const removed = await unlock(repo, { removeAll: flags.removeAll ?? false });
        for (const { name, info } of removed)
          process.stdout.write(
            `removed lock ${name.slice(0, 8)}${info ? `: ${describeLock(info)}` : ' (unreadable)'}\n`,
          );
        process.stdout.write(`${countOf(removed.length, 'lock')} removed\n`);
      } finally {
        await repo.close();
      }
    });
}
