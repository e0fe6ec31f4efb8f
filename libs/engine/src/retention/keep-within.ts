import { CairnError } from '../errors.js';
import { CALENDAR_BUCKETS, countingRule, type CalendarBucket, type WithinWindow } from './buckets.js';
import { isZeroSpan, parseSpan, RESTIC_SPAN, type CalendarSpan } from './duration.js';
import type { RetentionRule } from './rule.js';

/**
 * `--keep-within 2y5m7d3h`: keeps every snapshot newer than the span before the group's latest
 * snapshot — as in restic, measured from the latest snapshot and not from now, so a machine that
 * stopped backing up does not lose its history to the calendar. Snapshots dated in the future do not
 * count as the latest (restic's rule too); a group with nothing else measures from now.
 */
export function withinRule(text: string): RetentionRule {
  const span = withinSpan(text, '--keep-within');
  const reason = `within ${text.trim()}`;
  return {
    apply(group, context) {
      const inWindow = withinWindow(span)(group, context);
      return group.map((snapshot) => (inWindow(snapshot) ? reason : undefined));
    },
  };
}

/**
 * `--keep-within-daily 30d` and its hourly … yearly siblings (restic ≥ 0.13): in the same window as
 * `--keep-within`, the newest snapshot of every day (hour, …), without a count, and — as in restic —
 * no extra oldest snapshot.
 */
export function withinCalendarRule(kind: CalendarBucket, text: string): RetentionRule {
  const span = withinSpan(text, `--keep-within-${kind}`);
  const label = CALENDAR_BUCKETS[kind];
  return countingRule(
    Infinity,
    (snapshot) => label(snapshot.wall),
    (bucket) => `${kind} ${bucket} within ${text.trim()}`,
    withinWindow(span),
  );
}

function withinSpan(text: string, flag: string): CalendarSpan {
  const span = parseSpan(text, RESTIC_SPAN);
  if (isZeroSpan(span)) throw new CairnError('usage', `${flag} "${text}" is zero: it would keep nothing`);
  return span;
}

/** Strictly newer than the span before the latest snapshot not in the future, as restic's time.After. */
function withinWindow(span: CalendarSpan): WithinWindow {
  return (group, { now, zone }) => {
    // The group comes newest first, so the first snapshot not in the future is the latest.
    const latest = group.find((snapshot) => snapshot.ms <= now)?.ms ?? now;
    const boundary = zone.shift(latest, span, -1);
    return (snapshot) => snapshot.ms > boundary;
  };
}
