import { Command } from 'commander';
import { diffTrees, findSnapshot, type Change } from '@cairn/engine';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function diffCommand(): Command {
  return withRepository(new Command('diff'))
    .description(
      'show what changed between two snapshots (+ added, - removed, M content, T type, U metadata)',
    )
    .argument('<from>', 'older snapshot')
    .argument('<to>', 'newer snapshot')
    .option('--json', 'print one JSON object per change, then the counts')
    .action(async (fromRef: string, toRef: string, flags: RepositoryFlags & { json?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        await repo.loadIndex();
        const [from, to] = await Promise.all([findSnapshot(repo, fromRef), findSnapshot(repo, toRef)]);
        const counts: Record<Change, number> = { '+': 0, '-': 0, M: 0, T: 0, U: 0 };
        for await (const { change, path } of diffTrees(repo, from.tree, to.tree)) {
          counts[change]++;
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ change, path: path.toString() })}\n`
              : `${change}  ${path.toString()}\n`,
          );
        }
        const summary = `${counts['+']} added, ${counts['-']} removed, ${counts.M} modified, ${counts.T} changed type, ${counts.U} metadata only`;
        process.stdout.write(flags.json ? `${JSON.stringify({ counts })}\n` : `\n${summary}\n`);
      } finally {
        await repo.close();
      }
    });
}
