import { Option, type Command } from 'commander';
import { describeLock, openBackend, Repository, type LockOptions, type OpenOptions } from '@cairn/engine';
import { readPassword } from './password.js';

export interface RepositoryFlags {
  repo?: string;
}

/** `--repo`, shared by every command that works on a repository. */
export function withRepository(command: Command): Command {
  return command.addOption(
    new Option('-r, --repo <location>', 'repository: a folder or file:// URL').env('CAIRN_REPOSITORY'),
  );
}

/** Opens the repository named by the flags, asking for the password as configured. */
export async function openRepository(flags: RepositoryFlags, options: OpenOptions = {}): Promise<Repository> {
  const backend = openBackend(flags.repo ?? '');
  return Repository.open(backend, await readPassword(), options);
}

/** How commands take their lock: a stale lock that gets removed is said on stderr. */
export function lockOptions(_flags: RepositoryFlags): Omit<LockOptions, 'exclusive'> {
  return {
    onStaleLock: (info) => process.stderr.write(`warning: removed a stale lock (${describeLock(info)})\n`),
  };
}
