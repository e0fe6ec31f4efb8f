import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import { copySnapshots, findSnapshot } from '@cairn/engine';
import { shortId } from '../format.js';
import { interruption } from '../interruption.js';
import {
  lockOptions,
  openRepository,
  openSourceRepository,
  withRepository,
  type RepositoryFlags,
} from '../repository-options.js';

export function copyCommand(): Command {
  return withRepository(new Command('copy'))
    .description(
      'copy snapshots from another repository (--from-repo) into this one; only missing data moves',
    )
    .argument('[snapshot...]', 'snapshots of the source to copy (default: all)')
    .requiredOption(
      '--from-repo <location>',
      'the repository to copy from (password: CAIRN_FROM_PASSWORD or CAIRN_FROM_PASSWORD_FILE, else the usual one)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (refs: string[], flags: RepositoryFlags & { fromRepo: string; json?: boolean }) => {
      const source = await openSourceRepository(flags.fromRepo);
      const target = await openRepository(flags);
      try {
        await source.loadIndex();
        const snapshots = refs.length
          ? await Promise.all(refs.map((ref) => findSnapshot(source, ref)))
          : undefined;
        const result = await copySnapshots(source, target, snapshots, {
          signal: interruption.signal,
          lock: lockOptions(flags),
        });
        if (flags.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.rechunked) {
          process.stderr.write(
            'note: the repositories do not share chunker parameters and ids, so content was re-chunked (the slow path; see "cairn init --copy-params-from")\n',
          );
        }
        for (const { from, to } of result.copied)
          process.stdout.write(`copied snapshot ${shortId(from)} as ${shortId(to)}\n`);
        process.stdout.write(
          `${countOf(result.copied.length, 'snapshot')} copied (${countOf(result.blobsCopied, 'blob')} transferred), ${result.skipped.length} already there\n`,
        );
      } finally {
        await Promise.all([source.close(), target.close()]);
      }
    });
}
