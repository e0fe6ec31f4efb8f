import { CairnError } from '../errors.js';
import { DUPLICATI_SPAN, isZeroSpan, nominalMs, parseSpan, type CalendarSpan } from './duration.js';
import type { RetentionRule } from './rule.js';

/** One `TIMEFRAME:INTERVAL` pair of a Duplicati retention policy. */
export interface PolicyFrame {
  /** The pair as written (trimmed), shown as the reason: "policy 4W:1W". */
  text: string;
  /** How far back from now the frame reaches; undefined for `U` (unlimited). */
  timeframe?: CalendarSpan;
  /** The least time between two kept snapshots; undefined for `U` or `0s` (keep all). */
  interval?: CalendarSpan;
}

/**
 * Parses Duplicati's `--retention-policy`, e.g. `1W:1D,4W:1W,12M:1M` (the UI's "smart retention").
 * Units are Duplicati's and case-sensitive (`m` minutes, `M` months); a part may combine units
 * (`1D12h`); `U` (either case) is an unlimited timeframe or a keep-all interval.
 *
 * Stricter than Duplicati, which sorts the pairs itself: the pairs must be listed from the smallest
 * timeframe to the largest, because a policy written out of order is more likely a typo than a
 * wish. Like Duplicati, an interval must be shorter than its timeframe. Empty entries (a trailing
 * comma) are ignored.
 */
export function parseDuplicatiPolicy(text: string): PolicyFrame[] {
  const invalid = (detail: string) =>
    new CairnError('usage', `retention policy "${text}": ${detail} (expected pairs like 1W:1D,4W:1W,12M:1M)`);
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw invalid('it has no TIMEFRAME:INTERVAL pair');
  const frames = entries.map((entry) => {
    const sides = entry.split(':');
    if (sides.length !== 2) throw invalid(`"${entry}" is not one TIMEFRAME:INTERVAL pair`);
    const [frameText, intervalText] = sides.map((side) => side.trim()) as [string, string];
    const frame: PolicyFrame = { text: `${frameText}:${intervalText}` };
    if (!isUnlimited(frameText)) {
      frame.timeframe = parseSpan(frameText, DUPLICATI_SPAN);
      if (isZeroSpan(frame.timeframe)) throw invalid(`the timeframe of "${entry}" is zero`);
    }
    if (!isUnlimited(intervalText)) {
      const interval = parseSpan(intervalText, DUPLICATI_SPAN);
      if (!isZeroSpan(interval)) frame.interval = interval;
    }
    if (frame.timeframe && frame.interval && nominalMs(frame.interval) >= nominalMs(frame.timeframe)) {
      throw invalid(`in "${entry}" the interval is not shorter than the timeframe`);
    }
    return frame;
  });
  frames.reduce((smaller, larger) => {
    if (
      !smaller.timeframe ||
      (larger.timeframe && nominalMs(larger.timeframe) <= nominalMs(smaller.timeframe))
    ) {
      throw invalid(
        `the timeframes must grow from left to right, but "${larger.text}" follows "${smaller.text}"`,
      );
    }
    return larger;
  });
  return frames;
}

function isUnlimited(side: string): boolean {
  return side.toUpperCase() === 'U';
}

/**
 * Applies the policy the way Duplicati's DeleteHandler does:
 * - the newest snapshot is set aside (it is always kept, see applyRetention) and belongs to no frame;
 * - the frames, smallest first, each take the remaining snapshots not older than now − timeframe
 *   (boundary included), so a snapshot belongs to the smallest frame that reaches it;
 * - inside a frame the oldest snapshot is kept, then every snapshot at least one interval after the
 *   last kept one; a keep-all interval keeps them all;
 * - snapshots older than every frame are not kept by the policy.
 *
 * Where Cairn differs, on purpose: Duplicati turns M and Y into fixed lengths (counted from
 * 0001-01-01, so 1M = 31 days and 12M = 365 days) and measures intervals in elapsed time. Cairn
 * applies every span on the calendar of the policy's time zone: `12M` reaches back to the same day
 * twelve months ago, and a `1D` interval is one calendar day even when daylight saving makes that day
 * 23 hours long (Duplicati would drop the snapshot taken 23 hours after the last one kept).
 * Like Duplicati, the interval is counted from the last kept snapshot, not from fixed calendar
 * boundaries, so daily backups that jitter by a few seconds can keep only every other day with a
 * `1D` interval; restic's `--keep-daily` does not have that trap.
 */
export function duplicatiRule(text: string): RetentionRule {
  const frames = parseDuplicatiPolicy(text);
  return {
    apply(group, { now, zone }) {
      const reasons: (string | undefined)[] = new Array<undefined>(group.length).fill(undefined);
      let next = 1; // group[0], the newest, is set aside
      for (const frame of frames) {
        const start = frame.timeframe ? zone.shift(now, frame.timeframe, -1) : -Infinity;
        let end = next;
        while (end < group.length && group[end]!.ms >= start) end++;
        let lastKept: number | undefined;
        // Oldest first within the frame.
        for (let index = end - 1; index >= next; index--) {
          const { ms } = group[index]!;
          const due =
            lastKept === undefined || !frame.interval || ms >= zone.shift(lastKept, frame.interval, 1);
          if (!due) continue;
          reasons[index] = `policy ${frame.text}`;
          lastKept = ms;
        }
        next = end;
      }
      return reasons;
    },
  };
}
