import { Command } from 'commander';
import { prune } from '@cairn/engine';
import { formatBytes } from '../format.js';
import { interruption } from '../interruption.js';
import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { parsePercent } from './flags.js';

interface PruneFlags extends RepositoryFlags {
  maxUnused: number;
  dryRun?: boolean;
  json?: boolean;
}

export function pruneCommand(): Command {
  return withRepository(new Command('prune'))
    .description('delete data that no snapshot uses (after forget)')
    .option('--max-unused <N%>', 'repack packs whose unused share is larger than this', parsePercent, 0.05)
    .option('-n, --dry-run', 'only show what would be deleted and repacked')
    .option('--json', 'print the result as JSON')
    .action(async (flags: PruneFlags) => {
      const repo = await openRepository(flags);
      try {
        const result = await prune(repo, {
          maxUnused: flags.maxUnused,
          dryRun: flags.dryRun ?? false,
          signal: interruption.signal,
          lock: lockOptions(flags),
        });
        if (flags.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
        const verb = result.dryRun ? 'would delete' : 'deleted';
        process.stdout.write(
          `${verb} ${result.packsDeleted} packs (${result.packsRepacked} of them repacked, ${formatBytes(result.bytesRepacked)} moved), ` +
            `${formatBytes(result.bytesFreed)} freed\n`,
        );
      } finally {
        await repo.close();
      }
    });
}
