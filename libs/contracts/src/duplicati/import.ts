// A job exported from Duplicati's UI ("Export → As file", unencrypted) as a Cairn job export, with
// what was imported and what was not, in sentences. Pure and browser-safe: the web app previews it
// before anything is saved. Cairn cannot read Duplicati's backup files: the job gets a new repository.
import type { JobExport } from '../http/bodies.js';
import type { Retention } from '../schemas/job.js';
import { mapFilters, readFilters } from './filters.js';
import { mapSchedule } from './schedule.js';
import { mapTarget } from './target.js';

export interface DuplicatiImport {
  file: JobExport;
  /** The repository passphrase when the export carried it (exported "with passwords"). */
  passphrase: string | null;
  /** Destination credentials from the target URL, keyed as Cairn's destination secrets. */
  secrets: Record<string, string>;
  imported: string[];
  notImported: string[];
}

export type DuplicatiReading = { import: DuplicatiImport; problem: null } | { import: null; problem: string };

export interface DuplicatiContext {
  /** The runner's source roots; null when unknown (then sources are not checked). */
  sourceRoots: readonly string[] | null;
  /** The job's time zone: Duplicati's schedule is read as clock times there. */
  timezone: string;
}

/** Whether parsed JSON is a Duplicati job export: a `Backup` with a `TargetURL`. */
export function isDuplicatiExport(
  data: unknown,
): data is { Backup: Record<string, unknown>; Schedule?: unknown } {
  return isRecord(data) && isRecord(data['Backup']) && typeof data['Backup']['TargetURL'] === 'string';
}

/** Duplicati encrypts an export with AES Crypt, whose files begin with "AES". */
export function isEncryptedDuplicatiExport(text: string): boolean {
  return text.startsWith('AES');
}

export function fromDuplicati(data: unknown, context: DuplicatiContext): DuplicatiReading {
  if (!isDuplicatiExport(data))
    return failed('This is not a Duplicati job export: it has no Backup with a TargetURL.');
  const backup = data.Backup;
  const name = typeof backup['Name'] === 'string' ? backup['Name'].trim() : '';
  if (!name) return failed('The Duplicati job in the file has no name.');
  const imported = [`the name “${name}”.`];
  const notImported: string[] = [];

  const sources = mapSources(backup['Sources'], context.sourceRoots);
  if (sources.kept.length === 0)
    return failed(
      sources.dropped.length
        ? `None of the Duplicati job’s sources is under the runner’s source folders (${context.sourceRoots?.join(', ')}): ` +
            `${sources.dropped.join(', ')}. Mount them there and import again.`
        : 'The Duplicati job in the file has no sources.',
    );
  imported.push(`the sources ${sources.kept.join(', ')}.`);
  for (const path of sources.dropped)
    notImported.push(
      `the source ${path}: it is not under the runner’s source folders (${context.sourceRoots?.join(', ')}); mount it there and add it to the job.`,
    );

  const target = mapTarget(String(backup['TargetURL']));
  if (typeof target === 'string') return failed(target);
  imported.push(target.imported);
  notImported.push(...target.notes);

  const filters = mapFilters(readFilters(backup['Filters']));
  if (filters.excludes.length) imported.push(`the excludes ${filters.excludes.join(', ')}.`);
  notImported.push(...filters.dropped);

  const schedule = mapSchedule(isRecord(data['Schedule']) ? data['Schedule'] : null, context.timezone);
  if (schedule.imported) imported.push(schedule.imported);
  notImported.push(...schedule.notes);

  const settings = readSettings(backup['Settings']);
  const retention = mapRetention(settings, imported, notImported);
  const compression = mapCompression(settings);
  const passphrase = settings.get('passphrase') || null;
  if (passphrase) imported.push('the passphrase in the export, for the new repository.');
  if (settings.get('no-encryption') === 'true' || settings.get('encryption-module') === '')
    notImported.push('no encryption: Cairn always encrypts its repositories, so the job needs a passphrase.');
  notImported.push(...unmappedSettings(settings));
  notImported.push(
    'the backups Duplicati made: Cairn cannot read Duplicati’s files. The job starts a new Cairn repository ' +
      'in a folder of its own on that destination; keep Duplicati’s backups until you no longer need them.',
  );

  return {
    problem: null,
    import: {
      file: {
        version: 1,
        job: {
          name,
          sources: sources.kept,
          excludes: filters.excludes,
          schedule: schedule.schedule,
          verifySchedule: null,
          retention,
          compression,
          packSizeMiB: 16,
          minSourceFilesPercent: 50,
          enabled: true,
          limits: null,
        },
        destination: target.destination,
      },
      passphrase,
      secrets: target.secrets,
      imported,
      notImported,
    },
  };
}

/** Duplicati writes a folder source with a trailing "/"; Cairn's are paths under the runner's roots. */
function mapSources(value: unknown, roots: readonly string[] | null): { kept: string[]; dropped: string[] } {
  const paths = Array.isArray(value) ? value.filter((path): path is string => typeof path === 'string') : [];
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const path of paths) {
    const clean = path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
    const under = clean.startsWith('/') && (roots === null || roots.some((root) => isUnder(clean, root)));
    (under ? kept : dropped).push(clean);
  }
  return { kept, dropped };
}

function isUnder(path: string, root: string): boolean {
  const base = root.replace(/\/+$/, '');
  return path === base || path.startsWith(`${base}/`) || base === '';
}

/** `Settings`: `{ Name, Value }` entries; names are read without a leading "--". */
function readSettings(value: unknown): Map<string, string> {
  const settings = new Map<string, string>();
  if (!Array.isArray(value)) return settings;
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry['Name'] !== 'string') continue;
    settings.set(entry['Name'].replace(/^--/, ''), entry['Value'] == null ? '' : String(entry['Value']));
  }
  return settings;
}

const RETENTION_SETTINGS = ['keep-versions', 'keep-time', 'retention-policy'];

function mapRetention(
  settings: Map<string, string>,
  imported: string[],
  notImported: string[],
): Retention | null {
  const retention: Retention = {};
  const words: string[] = [];
  const versions = settings.get('keep-versions');
  if (versions && /^\d+$/.test(versions) && Number(versions) > 0) {
    retention.keepLast = Number(versions);
    words.push(`the last ${versions} snapshots`);
  }
  const time = settings.get('keep-time');
  if (time) {
    const within = keepWithin(time);
    if (within) {
      retention.keepWithin = within;
      words.push(`every snapshot of the last ${time}`);
    } else
      notImported.push(
        `the keep time “${time}”: Cairn keeps snapshots by hours, days, months or years, not finer.`,
      );
  }
  const policy = settings.get('retention-policy');
  if (policy) {
    retention.policy = policy.trim();
    words.push(`the retention policy “${retention.policy}”`);
  }
  if (words.length === 0) {
    imported.push('no retention, so every snapshot is kept (as Duplicati kept every version).');
    return null;
  }
  imported.push(
    `the retention: ${words.join(', ')}${words.length > 1 ? ' (Cairn keeps a snapshot any of them keeps)' : ''}; the newest is always kept.`,
  );
  return retention;
}

/** Duplicati's `30D`, `2W`, `6M`, `1Y`, `12h` as Cairn's keep-within (`30d`, `14d`, `6m`, `1y`, `12h`). */
function keepWithin(text: string): string | null {
  const parts = [...text.trim().matchAll(/(\d+)([smhDWMY])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text.trim()) return null;
  let result = '';
  for (const [, count, unit] of parts) {
    const value = Number(count);
    if (unit === 's' || unit === 'm') return null;
    result += unit === 'W' ? `${value * 7}d` : `${value}${{ h: 'h', D: 'd', M: 'm', Y: 'y' }[unit!]}`;
  }
  return result;
}

/** Zip's levels 0–9 as Cairn's compression. */
function mapCompression(settings: Map<string, string>): 'off' | 'fast' | 'default' | 'max' {
  const level = Number(settings.get('zip-compression-level') ?? Number.NaN);
  if (level === 0) return 'off';
  if (level >= 1 && level <= 3) return 'fast';
  if (level >= 7) return 'max';
  return 'default';
}

/** Settings read above, or that only describe Duplicati's own files. */
const HANDLED = new Set([
  ...RETENTION_SETTINGS,
  'passphrase',
  'encryption-module',
  'no-encryption',
  'compression-module',
  'zip-compression-level',
  'dblock-size',
  'backup-name',
  'dbpath',
]);

/** Groups of Duplicati options Cairn does otherwise, said once per group. */
const GROUPS: { prefixes: string[]; sentence: string }[] = [
  {
    prefixes: ['send-mail-', 'send-http-', 'send-telegram-', 'send-xmpp-', 'send-jabber-'],
    sentence: 'reports',
  },
  { prefixes: ['run-script-'], sentence: 'scripts run before or after a backup' },
  { prefixes: ['throttle-'], sentence: 'bandwidth limits' },
];

function unmappedSettings(settings: Map<string, string>): string[] {
  const lines: string[] = [];
  const left = [...settings.keys()].filter((name) => !HANDLED.has(name));
  for (const group of GROUPS) {
    const names = left.filter((name) => group.prefixes.some((prefix) => name.startsWith(prefix)));
    if (names.length) lines.push(`${group.sentence} (${names.join(', ')}): set them up in Cairn again.`);
  }
  const others = left.filter(
    (name) => !GROUPS.some((group) => group.prefixes.some((prefix) => name.startsWith(prefix))),
  );
  if (others.length) lines.push(`the options Cairn has no counterpart for: ${others.join(', ')}.`);
  const volume = settings.get('dblock-size');
  if (volume)
    lines.push(
      `the remote volume size (${volume}): Cairn packs its data in 16 MiB files; change it in the job’s options.`,
    );
  return lines;
}

function failed(problem: string): DuplicatiReading {
  return { import: null, problem };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
