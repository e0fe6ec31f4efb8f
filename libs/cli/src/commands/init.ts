import { Command } from 'commander';
import { openBackend, Repository } from '@cairn/engine';
import { readPassword } from '../password.js';
import { withRepository, type RepositoryFlags } from '../repository-options.js';
import { shortId } from '../format.js';

export function initCommand(): Command {
  return withRepository(new Command('init'))
    .description('create a new repository')
    .action(async (flags: RepositoryFlags) => {
      const backend = openBackend(flags.repo ?? '');
      const repo = await Repository.init(
        backend,
        await readPassword({ confirm: true, prompt: 'new repository password' }),
      );
      process.stdout.write(
        `created repository ${shortId(repo.config.id)} at ${backend.location}\n\n` +
          'Keep the password safe: without it nobody, including you, can read this repository.\n',
      );
    });
}
