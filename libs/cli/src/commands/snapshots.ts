import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import { listSnapshots } from '@cairn/engine';
import { formatBytes, shortId, table } from '../format.js';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function snapshotsCommand(): Command {
  return withRepository(new Command('snapshots'))
    .description('list the snapshots in the repository')
    .option('--json', 'print the snapshots as a JSON array')
    .action(async (flags: RepositoryFlags & { json?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        const snapshots = await listSnapshots(repo);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(snapshots)}\n`);
          return;
        }
        if (snapshots.length === 0) {
          process.stdout.write('no snapshots yet\n');
          return;
        }
        const rows = snapshots.map((s) => [
          shortId(s.id),
          s.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
          s.host,
          s.tags.join(','),
          formatBytes(s.summary?.bytesTotal ?? 0),
          s.paths.join(' '),
        ]);
        process.stdout.write(
          `${table([['ID', 'Time', 'Host', 'Tags', 'Size', 'Paths'], ...rows])}\n${countOf(snapshots.length, 'snapshot')}\n`,
        );
      } finally {
        await repo.close();
      }
    });
}
