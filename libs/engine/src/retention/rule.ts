import type { TimeZone, WallClock } from './time-zone.js';

/** What retention needs to know about a snapshot (a SnapshotRecord has all of it). */
export interface RetentionCandidate {
  id: string;
  time: string;
  host: string;
  paths: string[];
  tags: string[];
}

/** A snapshot of one group, with its time read once for every rule. */
export interface DatedSnapshot {
  snapshot: RetentionCandidate;
  ms: number;
  wall: WallClock;
}

export interface RuleContext {
  now: number;
  zone: TimeZone;
}

/**
 * One keep rule. It sees one group, newest snapshot first, and says for each snapshot why it keeps
 * it, or undefined. The policy keeps what any rule keeps.
 */
export interface RetentionRule {
  apply(group: readonly DatedSnapshot[], context: RuleContext): (string | undefined)[];
}
