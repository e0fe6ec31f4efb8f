import {
  fromDuplicati,
  isDuplicatiExport,
  isEncryptedDuplicatiExport,
  type DuplicatiContext,
  type DuplicatiImport,
} from '@contracts/duplicati/import';
import type { JobExport } from '../../core/api.types';

/** `duplicati`: the file was a Duplicati job, read into `file`, with what was and was not imported. */
export type JobFileReading =
  | { file: JobExport; problem: null; duplicati: DuplicatiImport | null }
  | { file: null; problem: string; duplicati: null };

const UNCHECKED: DuplicatiContext = { sourceRoots: null, timezone: 'UTC' };

/** Where a destination URL points, which decides the credentials an import asks for. */
export type DestinationKind = 'folder' | 's3' | 'sftp';

/**
 * Reads an exported job (`GET /jobs/:id/export`, or a job exported from Duplicati's UI) and says in
 * words what is wrong with it. `duplicati` says where the runner's sources are and the time zone.
 */
export function readJobFile(text: string, duplicati: DuplicatiContext = UNCHECKED): JobFileReading {
  if (!text.trim()) return failed('Choose a file or paste the exported JSON.');
  if (isEncryptedDuplicatiExport(text))
    return failed(
      'This Duplicati export is encrypted. In Duplicati, export the job again with “Encrypt file” unchecked ' +
        '(and “Export passwords” checked to bring the passphrase and credentials along).',
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return failed('This is not valid JSON. Use the whole content of a .cairn-job.json file.');
  }
  if (isDuplicatiExport(data)) {
    const reading = fromDuplicati(data, duplicati);
    return reading.problem === null
      ? { file: reading.import.file, problem: null, duplicati: reading.import }
      : failed(reading.problem);
  }
  if (!isRecord(data) || !('job' in data || 'version' in data))
    return failed(
      'This JSON is neither a Cairn job export (version, job and destination) nor a Duplicati one (Backup and Schedule).',
    );
  if (data['version'] !== 1)
    return failed(
      data['version'] === undefined
        ? 'The file has no export version, so it is not a Cairn job export.'
        : `The file is export version ${JSON.stringify(data['version'])}; this Cairn reads version 1.`,
    );
  const { job, destination } = data;
  if (!isRecord(job)) return failed('The file has no job in it.');
  if (typeof job['name'] !== 'string' || !job['name'].trim())
    return failed('The job in the file has no name.');
  const sources = job['sources'];
  if (!Array.isArray(sources) || sources.length === 0 || !sources.every(isAbsolutePath))
    return failed('The job in the file has no source folders (each one an absolute path).');
  if (!isRecord(destination) || typeof destination['url'] !== 'string' || !destination['url'].trim())
    return failed('The file does not say where the backups go: its destination has no URL.');
  const options = destination['options'] ?? {};
  if (!isRecord(options) || !Object.values(options).every((value) => typeof value === 'string'))
    return failed("The destination's options in the file are not all text.");
  return {
    problem: null,
    duplicati: null,
    file: {
      version: 1,
      job,
      destination: {
        name: typeof destination['name'] === 'string' ? destination['name'] : destination['url'],
        url: destination['url'],
        options: options as Record<string, string>,
      },
    },
  };
}

export function destinationKind(url: string): DestinationKind {
  if (/^s3(\+http)?:\/\//i.test(url)) return 's3';
  if (/^sftp:\/\//i.test(url)) return 'sftp';
  return 'folder';
}

/** A file name for a job's export: its name without characters file systems refuse. */
export function exportFileName(jobName: string): string {
  const printable = [...jobName].filter((character) => character >= ' ').join('');
  const safe = printable.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'job';
  return `${safe}.cairn-job.json`;
}

function failed(problem: string): JobFileReading {
  return { file: null, problem, duplicati: null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsolutePath(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('/');
}
