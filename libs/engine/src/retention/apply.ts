import {
  DEFAULT_GROUP_BY,
  groupSnapshots,
  parseGroupBy,
  type GroupField,
  type GroupKey,
} from './group-by.js';
import { compilePolicy, type RetentionPolicy } from './policy.js';
import type { DatedSnapshot, RetentionCandidate, RuleContext } from './rule.js';
import { TimeZone } from './time-zone.js';

export interface RetentionOptions {
  /** `host,paths,tags` or a subset (default host,paths); `''` for one group. */
  groupBy?: string | readonly GroupField[];
  /** IANA zone in which hours, days, weeks, months and years are counted (default: local). */
  timeZone?: string;
  /** What Duplicati's timeframes count back from (default: the current time). */
  now?: Date;
}

export interface RetentionDecision extends RetentionCandidate {
  keep: boolean;
  /** The rules that keep the snapshot, e.g. "last 3", "daily 2026-11-20", "policy 4W:1W"; empty when removed. */
  reasons: string[];
}

export interface RetentionGroup {
  key: GroupKey;
  /** Oldest first, like `cairn snapshots`. */
  decisions: RetentionDecision[];
}

/** Always the reason when nothing else keeps a group's newest snapshot. */
export const NEWEST_REASON = 'newest';

/**
 * Decides, for every snapshot, whether the policy keeps it and why. Pure: the same snapshots, policy
 * and options give the same answer. The policy applies to each group on its own; the newest
 * snapshot of every group is always kept, so forgetting never empties a group. Among snapshots with
 * the same time, the one with the larger id counts as newer (the order `cairn snapshots` shows).
 */
export function applyRetention(
  snapshots: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  options: RetentionOptions = {},
): RetentionGroup[] {
  const rules = compilePolicy(policy);
  const zone = options.timeZone ? new TimeZone(options.timeZone) : TimeZone.local();
  const context: RuleContext = { now: (options.now ?? new Date()).getTime(), zone };
  const fields =
    typeof options.groupBy === 'string'
      ? parseGroupBy(options.groupBy)
      : (options.groupBy ?? DEFAULT_GROUP_BY);
  return groupSnapshots(snapshots, fields).map(({ key, members }) => {
    const dated: DatedSnapshot[] = [];
    const unreadable: RetentionCandidate[] = [];
    for (const snapshot of members) {
      const ms = Date.parse(snapshot.time);
      if (Number.isNaN(ms)) unreadable.push(snapshot);
      else dated.push({ snapshot, ms, wall: zone.wallClock(ms) });
    }
    dated.sort((a, b) => b.ms - a.ms || (a.snapshot.id < b.snapshot.id ? 1 : -1));
    const reasons = dated.map(() => [] as string[]);
    for (const rule of rules) {
      rule.apply(dated, context).forEach((reason, index) => {
        if (reason !== undefined) reasons[index]!.push(reason);
      });
    }
    if (reasons[0]?.length === 0) reasons[0].push(NEWEST_REASON);
    const decisions = dated.map(({ snapshot }, index) => decision(snapshot, reasons[index]!));
    // A snapshot whose time cannot be read fits no bucket: it is kept, not guessed at.
    const kept = unreadable.map((snapshot) => decision(snapshot, ['time unreadable']));
    return { key, decisions: [...kept, ...decisions.reverse()] };
  });
}

function decision(snapshot: RetentionCandidate, reasons: string[]): RetentionDecision {
  const { id, time, host, paths, tags } = snapshot;
  return { id, time, host, paths, tags, keep: reasons.length > 0, reasons };
}
