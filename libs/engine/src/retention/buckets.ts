import type { DatedSnapshot, RetentionRule, RuleContext } from './rule.js';
import type { WallClock } from './time-zone.js';

/**
 * The calendar buckets of `--keep-hourly` … `--keep-yearly`: a snapshot's bucket is a label of its
 * wall-clock time in the policy's time zone, and doubles as the reason shown to the user.
 */
export const CALENDAR_BUCKETS = {
  hourly: (wall: WallClock) => `${isoDate(wall)} ${pad(wall.hour)}:00`,
  daily: (wall: WallClock) => isoDate(wall),
  weekly: isoWeek,
  monthly: (wall: WallClock) => `${wall.year}-${pad(wall.month)}`,
  yearly: (wall: WallClock) => String(wall.year),
} as const;

export type CalendarBucket = keyof typeof CALENDAR_BUCKETS;

/**
 * restic's counting rule. Walking from the newest snapshot back, the first snapshot met in each
 * bucket — the newest of that bucket — is kept, until `count` buckets have been kept. When the
 * snapshots run out before the count does, the oldest snapshot is kept as well (restic ≥ 0.17), so
 * the history reaches back as far as it can: with `--keep-monthly 12` and six weeks of daily
 * snapshots, the first day is kept along with the newest of each month.
 */
/**
 * The window of a `--keep-within-*` rule: it admits only the snapshots it accepts, and keeps no extra
 * oldest snapshot.
 */
export type WithinWindow = (
  group: readonly DatedSnapshot[],
  context: RuleContext,
) => (snapshot: DatedSnapshot) => boolean;

export function countingRule(
  count: number,
  bucketOf: (snapshot: DatedSnapshot, index: number) => string,
  reasonFor: (bucket: string) => string,
  within?: WithinWindow,
): RetentionRule {
  return {
    apply(group, context) {
      const inWindow = within?.(group, context);
      let left = count;
      let previous: string | undefined;
      return group.map((snapshot, index) => {
        if (left === 0 || (inWindow && !inWindow(snapshot))) return undefined;
        const bucket = bucketOf(snapshot, index);
        // restic keeps the oldest for the counted rules only, not for the --keep-within-* ones.
        const oldest = index === group.length - 1 && !within;
        if (bucket === previous && !oldest) return undefined;
        const reason = bucket === previous ? `${reasonFor(bucket)} (oldest)` : reasonFor(bucket);
        previous = bucket;
        left--;
        return reason;
      });
    },
  };
}

export function calendarRule(kind: CalendarBucket, count: number): RetentionRule {
  const label = CALENDAR_BUCKETS[kind];
  return countingRule(
    count,
    (snapshot) => label(snapshot.wall),
    (bucket) => `${kind} ${bucket}`,
  );
}

/** `--keep-last N`: every snapshot is a bucket of its own. */
export function lastRule(count: number): RetentionRule {
  const reason = `last ${Number.isFinite(count) ? count : 'unlimited'}`;
  return countingRule(
    count,
    (_, index) => String(index),
    () => reason,
  );
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isoDate(wall: WallClock): string {
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
}

/**
 * ISO 8601 week, as restic's weekly bucket uses: weeks start on Monday and belong to the year that
 * holds their Thursday, so Dec 31 can be in week 1 of the next year and Jan 1 in week 52 or 53.
 */
export function isoWeek(wall: WallClock): string {
  const date = Date.UTC(wall.year, wall.month - 1, wall.day);
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - mondayBased) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}
