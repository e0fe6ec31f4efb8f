import { CairnError } from '../errors.js';
import { isZeroSpan, parseSpan, RESTIC_SPAN } from './duration.js';
import type { RetentionRule } from './rule.js';

/**
 * `--keep-within 2y5m7d3h`: keeps every snapshot newer than the span before the group's latest
 * snapshot — as in restic, measured from the latest snapshot and not from now, so a machine that
 * stopped backing up does not lose its history to the calendar. Snapshots dated in the future do not
 * count as the latest (restic's rule too); a group with nothing else measures from now.
 */
export function withinRule(text: string): RetentionRule {
  const span = parseSpan(text, RESTIC_SPAN);
  if (isZeroSpan(span)) throw new CairnError('usage', `keep-within "${text}" is zero: it would keep nothing`);
  const reason = `within ${text.trim()}`;
  return {
    apply(group, { now, zone }) {
      // The group comes newest first, so the first snapshot not in the future is the latest.
      const latest = group.find((snapshot) => snapshot.ms <= now)?.ms ?? now;
      const boundary = zone.shift(latest, span, -1);
      // Strictly newer than the boundary, as restic's time.After.
      return group.map((snapshot) => (snapshot.ms > boundary ? reason : undefined));
    },
  };
}
