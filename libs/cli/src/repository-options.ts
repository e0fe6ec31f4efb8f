import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  CairnError,
  describeLock,
  openBackend,
  parseDuration,
  Repository,
  type Backend,
  type LockOptions,
  type OpenOptions,
} from '@cairn/engine';
import { readPassword, readSourcePassword } from './password.js';
import { backendOptions, withRemoteOptions, type RemoteFlags } from './remote-options.js';

export interface RepositoryFlags extends RemoteFlags {
  repo?: string;
  retryLock?: number;
}

/** `--repo`, shared by every command that works on a repository. */
export function withRepository(command: Command): Command {
  return withRemoteOptions(
    command
      .addOption(
        new Option(
          '-r, --repo <location>',
          'repository: a folder, or a file://, s3://, s3+http:// or sftp:// URL',
        ).env('CAIRN_REPOSITORY'),
      )
      .addOption(
        new Option(
          '--retry-lock <duration>',
          'wait this long (e.g. 30s, 10m) for a lock another process holds',
        ).argParser(parseRetryLock),
      ),
  );
}

/** The destination the flags name, with the remote options (S3, SFTP, connections) they carry. */
export function openRepositoryBackend(flags: RepositoryFlags): Backend {
  return openBackend(flags.repo ?? '', backendOptions(flags));
}

function parseRetryLock(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Opens the repository named by the flags, asking for the password as configured. */
export async function openRepository(flags: RepositoryFlags, options: OpenOptions = {}): Promise<Repository> {
  const backend = openRepositoryBackend(flags);
  const connections = flags.connections ? { connections: flags.connections } : {};
  return Repository.open(backend, await readPassword(), { ...connections, ...options });
}

/** Opens the repository a copy reads from (`--from-repo`), with its own password when given. */
export async function openSourceRepository(location: string | undefined): Promise<Repository> {
  if (!location) throw new CairnError('usage', 'no source repository given (use --from-repo)');
  return Repository.open(openBackend(location), await readSourcePassword());
}

/** How commands take their lock: a stale lock that gets removed is said on stderr. */
export function lockOptions(flags: RepositoryFlags): Omit<LockOptions, 'exclusive'> {
  return {
    ...(flags.retryLock ? { retryMs: flags.retryLock } : {}),
    onStaleLock: (info) => process.stderr.write(`warning: removed a stale lock (${describeLock(info)})\n`),
  };
}
