import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import { repairIndex, repairSnapshots } from '@cairn/engine';
import { EXIT } from '../exit-codes.js';
import { shortId } from '../format.js';
import { interruption } from '../interruption.js';
import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function repairCommand(): Command {
  const repair = new Command('repair').description('rebuild what a damaged repository lost');
  withRepository(repair.command('index'))
    .description('rebuild every index file from the pack headers')
    .action(async (flags: RepositoryFlags) => {
      const repo = await openRepository(flags);
      try {
        const result = await repairIndex(repo, { signal: interruption.signal, lock: lockOptions(flags) });
        for (const { pack, message } of result.damaged)
          process.stderr.write(`warning: pack ${pack} left out: ${message}\n`);
        process.stdout.write(
          `indexed ${countOf(result.packs, 'pack')}${result.damaged.length ? `; ${result.damaged.length} damaged (run "cairn repair snapshots")` : ''}\n`,
        );
        if (result.damaged.length > 0) process.exitCode = EXIT.warnings;
      } finally {
        await repo.close();
      }
    });
  withRepository(repair.command('snapshots'))
    .description('rewrite snapshots without the files whose data is lost')
    .option('--forget', 'remove each damaged snapshot once its repaired copy is saved')
    .option('-n, --dry-run', 'only show what is lost')
    .action(async (flags: RepositoryFlags & { forget?: boolean; dryRun?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        const repaired = await repairSnapshots(repo, {
          forget: flags.forget ?? false,
          dryRun: flags.dryRun ?? false,
          signal: interruption.signal,
          lock: lockOptions(flags),
        });
        for (const snapshot of repaired) {
          const outcome = snapshot.newId ? `repaired as ${shortId(snapshot.newId)}` : 'would be repaired';
          process.stdout.write(
            `snapshot ${shortId(snapshot.id)} ${outcome}; lost:\n${snapshot.lost.map((path) => `  ${path}\n`).join('')}`,
          );
        }
        if (repaired.length === 0) process.stdout.write('every snapshot is complete; nothing to repair\n');
      } finally {
        await repo.close();
      }
    });
  return repair;
}
