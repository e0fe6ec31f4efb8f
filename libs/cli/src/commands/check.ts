import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import { check, CairnError } from '@cairn/engine';
import { interruption } from '../interruption.js';

import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { parsePercent } from './flags.js';

interface CheckFlags extends RepositoryFlags {
  readData?: boolean;
  readDataSubset?: number;
  json?: boolean;
}

export function checkCommand(): Command {
  return withRepository(new Command('check'))
    .description('verify the repository: structure always, every byte with --read-data')
    .option('--read-data', 'download every pack and verify every blob')
    .option('--read-data-subset <N%>', 'verify a random share of the packs', parsePercent)
    .option('--json', 'print the result as JSON')
    .action(async (flags: CheckFlags) => {
      if (flags.readData && flags.readDataSubset !== undefined) {
        throw new CairnError('usage', '--read-data and --read-data-subset cannot be used together');
      }
      const repo = await openRepository(flags);
      try {
        const result = await check(repo, {
          readData: flags.readData ?? false,
          ...(flags.readDataSubset !== undefined ? { readDataSubset: flags.readDataSubset } : {}),
          signal: interruption.signal,
          lock: lockOptions(flags),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } else {
          for (const hint of result.hints)
            process.stdout.write(`hint: ${hint.file ? `${hint.file}: ` : ''}${hint.message}\n`);
          for (const error of result.errors)
            process.stderr.write(`error: ${error.file ? `${error.file}: ` : ''}${error.message}\n`);
          const read = result.packsRead > 0 ? `, read ${result.packsRead} of ${result.packs} packs` : '';
          process.stdout.write(`checked ${countOf(result.snapshots, 'snapshot')}${read}: `);
          process.stdout.write(
            result.errors.length === 0 ? 'no errors were found\n' : `${result.errors.length} errors\n`,
          );
        }
        if (result.errors.length > 0)
          throw new CairnError('corrupt', `the repository has ${result.errors.length} errors (see above)`);
      } finally {
        await repo.close();
      }
    });
}
