import { Command } from 'commander';
import { findSnapshot, repositoryStats, snapshotStats } from '@cairn/engine';
import { formatBytes } from '../format.js';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

const percentOf = (part: number, whole: number) =>
  `${whole > 0 ? ((100 * part) / whole).toFixed(2) : '0.00'} %`;

export function statsCommand(): Command {
  return withRepository(new Command('stats'))
    .description('show the size of the repository, or of one snapshot')
    .argument('[snapshot]', 'snapshot id, unique prefix or "latest"')
    .option('--json', 'print the figures as JSON')
    .action(async (ref: string | undefined, flags: RepositoryFlags & { json?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        if (ref !== undefined) {
          await repo.loadIndex();
          const stats = await snapshotStats(repo, await findSnapshot(repo, ref));
          if (flags.json) return void process.stdout.write(`${JSON.stringify(stats)}\n`);
          process.stdout.write(
            `snapshot ${stats.snapshot.slice(0, 8)}: ${stats.files} files, ${stats.dirs} folders\n` +
              `restore size:  ${formatBytes(stats.restoreSize)}\n` +
              `unique data:   ${formatBytes(stats.rawBytes)} in ${stats.blobs} blobs, ${formatBytes(stats.storedBytes)} stored\n`,
          );
          return;
        }
        const stats = await repositoryStats(repo);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(stats)}\n`);
        process.stdout.write(
          `snapshots:     ${stats.snapshots}\n` +
            `stored:        ${formatBytes(stats.storedBytes)} in ${stats.packs} packs\n` +
            `padding:       ${formatBytes(stats.paddingBytes)} (${percentOf(stats.paddingBytes, stats.storedBytes)} of stored)\n` +
            `unique data:   ${formatBytes(stats.rawBytes)} in ${stats.blobs} blobs\n` +
            `compression:   ${stats.compressionRatio.toFixed(2)}×\n`,
        );
      } finally {
        await repo.close();
      }
    });
}
