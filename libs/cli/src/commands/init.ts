import { Command } from 'commander';
import { Repository } from '@cairn/engine';
import { readPassword } from '../password.js';
import {
  openRepositoryBackend,
  openSourceRepository,
  withRepository,
  type RepositoryFlags,
} from '../repository-options.js';
import { withCreateBucket } from '../remote-options.js';
import { shortId } from '../format.js';

export function initCommand(): Command {
  return withCreateBucket(withRepository(new Command('init')))
    .description('create a new repository')
    .option(
      '--copy-params-from <location>',
      'share chunker parameters and blob ids with this repository, so copies between them move blobs as they are',
    )
    .action(async (flags: RepositoryFlags & { copyParamsFrom?: string }) => {
      const backend = openRepositoryBackend(flags);
      const copyParamsFrom = flags.copyParamsFrom
        ? await openSourceRepository(flags.copyParamsFrom)
        : undefined;
      const password = await readPassword({ confirm: true, prompt: 'new repository password' });
      const repo = await Repository.init(backend, password, copyParamsFrom ? { copyParamsFrom } : {});
      process.stdout.write(
        `created repository ${shortId(repo.config.id)} at ${backend.location}\n\n` +
          'Keep the password safe: without it nobody, including you, can read this repository.\n',
      );
    });
}
