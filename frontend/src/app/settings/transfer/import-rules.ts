import type { Destination, Job, JobExport } from '../../core/api.types';
import { defaultRepositoryPath } from '@contracts/repository-location';
import { destinationKind } from './job-file';

/** What the person adds to an exported job to import it: the export holds no secrets. */
export interface ImportDraft {
  name: string;
  repositoryPath: string;
  passphrase: string;
  accessKeyId: string;
  secretAccessKey: string;
  password: string;
  privateKey: string;
  privateKeyPassphrase: string;
}

export const EMPTY_IMPORT: ImportDraft = {
  name: '',
  repositoryPath: '',
  passphrase: '',
  accessKeyId: '',
  secretAccessKey: '',
  password: '',
  privateKey: '',
  privateKeyPassphrase: '',
};

export type ImportBody = JobExport & { passphrase: string; destinationSecrets?: Record<string, string> };

/** The contracts' RepositoryPath rule. */
const REPOSITORY_PATH = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)*$/;
const MIN_PASSPHRASE_LENGTH = 8;

export function jobNameIssue(name: string, jobs: readonly Job[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the job a name.';
  if (trimmed.length > 100) return 'Keep the name under 100 characters.';
  if (jobs.some((job) => job.name === trimmed))
    return `A job named “${trimmed}” already exists: choose another name.`;
  return null;
}

/**
 * `jobsThere`: the jobs already on the destination the import will use (none when it is new);
 * `jobName` suggests a free folder when the chosen one is taken.
 */
export function repositoryPathIssue(path: string, jobsThere: readonly Job[], jobName: string): string | null {
  if (!path) return 'Give the folder for the repository, for example the job name in lower case.';
  if (path.length > 200 || !REPOSITORY_PATH.test(path))
    return 'Use letters, digits, “.”, “_” and “-”, with “/” between folders (not at the start).';
  const taken = (candidate: string) => jobsThere.some((job) => job.repositoryPath === candidate);
  if (!taken(path)) return null;
  const suggestion = defaultRepositoryPath(jobName);
  return (
    `Another job keeps its repository in “${path}” on this destination: choose another folder` +
    (taken(suggestion) ? '.' : `, such as “${suggestion}”.`)
  );
}

export function passphraseIssue(passphrase: string): string | null {
  if (!passphrase) return "Enter the repository's passphrase: the exported file never contains it.";
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    return `The passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  return null;
}

/** The destination on this server with the file's URL: the import reuses it and its credentials. */
export function matchingDestination(
  file: JobExport,
  destinations: readonly Destination[],
): Destination | null {
  return destinations.find((destination) => destination.url === file.destination.url) ?? null;
}

export function destinationSecrets(url: string, draft: ImportDraft): Record<string, string> {
  const entries: [string, string][] =
    destinationKind(url) === 's3'
      ? [
          ['accessKeyId', draft.accessKeyId.trim()],
          ['secretAccessKey', draft.secretAccessKey],
        ]
      : destinationKind(url) === 'sftp'
        ? [
            ['password', draft.password],
            ['privateKey', draft.privateKey],
            ['privateKeyPassphrase', draft.privateKeyPassphrase],
          ]
        : [];
  return Object.fromEntries(entries.filter(([, value]) => value));
}

export function importBody(file: JobExport, draft: ImportDraft, reusesDestination: boolean): ImportBody {
  const secrets = reusesDestination ? {} : destinationSecrets(file.destination.url, draft);
  return {
    ...file,
    job: { ...file.job, name: draft.name.trim(), repositoryPath: draft.repositoryPath },
    passphrase: draft.passphrase,
    ...(Object.keys(secrets).length ? { destinationSecrets: secrets } : {}),
  };
}
