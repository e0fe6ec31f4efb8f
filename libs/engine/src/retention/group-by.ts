import { CairnError } from '../errors.js';
import type { RetentionCandidate } from './rule.js';

export const GROUP_FIELDS = ['host', 'paths', 'tags'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

/** restic's default: each machine's backup of each set of paths keeps its own history. */
export const DEFAULT_GROUP_BY: readonly GroupField[] = ['host', 'paths'];

/** What the snapshots of one group share; only the fields grouped by are present. */
export interface GroupKey {
  host?: string;
  paths?: string[];
  tags?: string[];
}

/** `host,paths,tags` in any order or subset; an empty string puts every snapshot in one group. */
export function parseGroupBy(text: string): GroupField[] {
  const fields = text
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  for (const field of fields) {
    if (!(GROUP_FIELDS as readonly string[]).includes(field)) {
      throw new CairnError(
        'usage',
        `cannot group by "${field}" (use host, paths and/or tags, comma-separated)`,
      );
    }
  }
  return GROUP_FIELDS.filter((field) => fields.includes(field));
}

export function groupKey(snapshot: RetentionCandidate, fields: readonly GroupField[]): GroupKey {
  const key: GroupKey = {};
  // Sorted, so that `backup b a` and `backup a b` share a history.
  if (fields.includes('host')) key.host = snapshot.host;
  if (fields.includes('paths')) key.paths = [...snapshot.paths].sort();
  if (fields.includes('tags')) key.tags = [...new Set(snapshot.tags)].sort();
  return key;
}

/** Splits snapshots into groups, ordered by key so that output is stable from run to run. */
export function groupSnapshots<T extends RetentionCandidate>(
  snapshots: readonly T[],
  fields: readonly GroupField[],
): { key: GroupKey; members: T[] }[] {
  const groups = new Map<string, { key: GroupKey; members: T[] }>();
  for (const snapshot of snapshots) {
    const key = groupKey(snapshot, fields);
    const id = JSON.stringify(key);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key, members: [] }));
    group.members.push(snapshot);
  }
  const order = ({ key }: { key: GroupKey }) =>
    [key.host ?? '', (key.paths ?? []).join('\0'), (key.tags ?? []).join('\0')].join('\u0001');
  return [...groups.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** "host nas, paths /home /etc, tags (none)", or "all snapshots" when nothing is grouped by. */
export function describeGroup(key: GroupKey): string {
  const parts: string[] = [];
  if (key.host !== undefined) parts.push(`host ${key.host}`);
  if (key.paths) parts.push(`paths ${key.paths.join(' ') || '(none)'}`);
  if (key.tags) parts.push(`tags ${key.tags.join(',') || '(none)'}`);
  return parts.length > 0 ? parts.join(', ') : 'all snapshots';
}
