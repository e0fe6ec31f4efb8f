import type { DestinationPatch, Job } from '../core/api.types';
import { destinationKind, type DestinationKind } from '../settings/transfer/job-file';

export interface SecretField {
  /** The secret's name in the destination (what the runners read). */
  name: string;
  label: string;
  multiline?: boolean;
}

/** The write-only credentials each kind of destination keeps; folders keep none. */
const SECRET_FIELDS: Record<DestinationKind, readonly SecretField[]> = {
  folder: [],
  s3: [
    { name: 'accessKeyId', label: 'Access key ID' },
    { name: 'secretAccessKey', label: 'Secret access key' },
  ],
  sftp: [
    { name: 'password', label: 'Password' },
    { name: 'privateKey', label: 'Private key', multiline: true },
    { name: 'privateKeyPassphrase', label: 'Private key passphrase' },
  ],
};

export function secretFields(url: string): readonly SecretField[] {
  return SECRET_FIELDS[destinationKind(url)];
}

export function destinationNameProblem(name: string): string | null {
  if (!name.trim()) return 'Give the destination a name, such as “NAS” or “Offsite S3”.';
  if (name.trim().length > 100) return 'Keep the name to 100 characters.';
  return null;
}

/**
 * The PATCH for a rename and new credentials: only what changed, so the destination keeps its id
 * (and its jobs); a blank credential keeps the stored one.
 */
export function destinationPatch(
  current: { name: string },
  name: string,
  typed: Readonly<Record<string, string>>,
): DestinationPatch {
  const patch: DestinationPatch = {};
  if (name.trim() !== current.name) patch.name = name.trim();
  const secrets = Object.fromEntries(
    Object.entries(typed)
      .filter(([, value]) => value.trim() !== '')
      .map(([key, value]) => [key, key === 'privateKey' ? `${value.trim()}\n` : value]),
  );
  if (Object.keys(secrets).length > 0) patch.secrets = secrets;
  return patch;
}

/** The jobs that keep their repository at each destination, by destination id. */
export function jobsByDestination(jobs: readonly Job[]): Map<string, Job[]> {
  const byDestination = new Map<string, Job[]>();
  for (const job of jobs)
    byDestination.set(job.destinationId, [...(byDestination.get(job.destinationId) ?? []), job]);
  return byDestination;
}
