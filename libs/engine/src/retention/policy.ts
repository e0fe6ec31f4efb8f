import { CairnError } from '../errors.js';
import { calendarRule, lastRule, type CalendarBucket } from './buckets.js';
import { duplicatiRule } from './duplicati-policy.js';
import { tagRule } from './keep-tag.js';
import { withinCalendarRule, withinRule } from './keep-within.js';
import type { RetentionRule } from './rule.js';

/** How many snapshots or buckets a counting rule keeps; 0 or absent turns the rule off. */
export type KeepCount = number | 'unlimited';

/**
 * What to keep, named after the `cairn forget` flags, plain JSON so that a job definition can carry
 * it. A snapshot is kept when any rule keeps it (restic's union), and the newest snapshot of each
 * group is always kept.
 */
export interface RetentionPolicy {
  keepLast?: KeepCount;
  keepHourly?: KeepCount;
  keepDaily?: KeepCount;
  keepWeekly?: KeepCount;
  keepMonthly?: KeepCount;
  keepYearly?: KeepCount;
  /** restic's duration, e.g. `30d` or `2y5m7d3h` (m = months). */
  keepWithin?: string;
  /** restic's `--keep-within-hourly` …: the newest snapshot of each hour, day, … within the duration. */
  keepWithinHourly?: string;
  keepWithinDaily?: string;
  keepWithinWeekly?: string;
  keepWithinMonthly?: string;
  keepWithinYearly?: string;
  /** Each entry a tag, or comma-separated tags that must all be present. */
  keepTags?: string[];
  /** Duplicati's `--retention-policy`, e.g. `1W:1D,4W:1W,12M:1M`. */
  retentionPolicy?: string;
}

const CALENDAR_FLAGS: [keyof RetentionPolicy, CalendarBucket][] = [
  ['keepHourly', 'hourly'],
  ['keepDaily', 'daily'],
  ['keepWeekly', 'weekly'],
  ['keepMonthly', 'monthly'],
  ['keepYearly', 'yearly'],
];

const WITHIN_CALENDAR_FLAGS: [keyof RetentionPolicy, CalendarBucket][] = [
  ['keepWithinHourly', 'hourly'],
  ['keepWithinDaily', 'daily'],
  ['keepWithinWeekly', 'weekly'],
  ['keepWithinMonthly', 'monthly'],
  ['keepWithinYearly', 'yearly'],
];

/** Turns a policy into its rules; a policy that keeps nothing is refused, never applied. */
export function compilePolicy(policy: RetentionPolicy): RetentionRule[] {
  const rules: RetentionRule[] = [];
  const last = checkCount(policy.keepLast, 'keepLast');
  if (last > 0) rules.push(lastRule(last));
  for (const [field, kind] of CALENDAR_FLAGS) {
    const count = checkCount(policy[field] as KeepCount | undefined, field);
    if (count > 0) rules.push(calendarRule(kind, count));
  }
  if (policy.keepWithin !== undefined) rules.push(withinRule(policy.keepWithin));
  for (const [field, kind] of WITHIN_CALENDAR_FLAGS) {
    const text = policy[field] as string | undefined;
    if (text !== undefined) rules.push(withinCalendarRule(kind, text));
  }
  for (const list of policy.keepTags ?? []) rules.push(tagRule(list));
  if (policy.retentionPolicy !== undefined) rules.push(duplicatiRule(policy.retentionPolicy));
  if (rules.length === 0) {
    throw new CairnError(
      'usage',
      'no keep rule given, refusing to forget every snapshot: use --keep-last, --keep-hourly, --keep-daily, ' +
        '--keep-weekly, --keep-monthly, --keep-yearly, --keep-within(-hourly|-daily|…), --keep-tag or ' +
        '--retention-policy',
    );
  }
  return rules;
}

/** Throws the usage error that applying the policy would throw, before any work is done. */
export function validatePolicy(policy: RetentionPolicy): void {
  compilePolicy(policy);
}

/** Reads a count as a user types it: a whole number, or `unlimited` (restic's spelling of -1). */
export function parseKeepCount(text: string, field: string): KeepCount {
  if (text.trim().toLowerCase() === 'unlimited') return 'unlimited';
  if (!/^\s*\d+\s*$/.test(text)) throw countError(field, text);
  const count = Number(text);
  checkCount(count, field);
  return count;
}

function checkCount(count: KeepCount | undefined, field: string): number {
  if (count === undefined) return 0;
  if (count === 'unlimited') return Infinity;
  if (!Number.isSafeInteger(count) || count < 0) throw countError(field, String(count));
  return count;
}

function countError(field: string, shown: string): CairnError {
  return new CairnError(
    'usage',
    `${flagName(field)} must be a whole number of 0 or more, or "unlimited" to keep all (got "${shown.trim()}")`,
  );
}

/** keepDaily → --keep-daily, so that messages name what the user typed. */
function flagName(field: string): string {
  return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
