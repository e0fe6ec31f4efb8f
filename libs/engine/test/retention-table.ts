import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyRetention,
  type CalendarSpan,
  type RetentionCandidate,
  type RetentionOptions,
  type RetentionPolicy,
} from '../src/index.js';

/** A snapshot described by its time, optionally with tags, host or paths of its own. */
export type SnapshotSpec = string | { time: string; tags?: string[]; host?: string; paths?: string[] };

/**
 * One row of a retention table: snapshots (oldest first), the policy, and which of them are kept.
 * `reasons` maps a snapshot's time to the exact reasons expected for it.
 */
export interface RetentionCase {
  name: string;
  snapshots: SnapshotSpec[];
  policy: RetentionPolicy;
  zone?: string;
  /** ISO time Duplicati's frames count back from. */
  now?: string;
  groupBy?: string;
  kept: string[];
  reasons?: Record<string, string[]>;
}

/**
 * Synthetic snapshots. Ids grow with the position in the list, so among snapshots with the same
 * time the later one in the list counts as newer.
 */
export function candidates(specs: readonly SnapshotSpec[]): RetentionCandidate[] {
  return specs.map((spec, index) => {
    const {
      time,
      tags = [],
      host = 'nas',
      paths = ['/data'],
    } = typeof spec === 'string' ? { time: spec } : spec;
    return { id: index.toString(16).padStart(64, '0'), time, host, paths, tags };
  });
}

/** The times kept, with their reasons, as applyRetention decides them. */
export function decide(row: RetentionCase): { kept: string[]; reasons: Map<string, string[]> } {
  const options: RetentionOptions = { timeZone: row.zone ?? 'UTC', groupBy: row.groupBy ?? 'host,paths' };
  if (row.now) options.now = new Date(row.now);
  const decisions = applyRetention(candidates(row.snapshots), row.policy, options).flatMap(
    (g) => g.decisions,
  );
  const reasons = new Map(decisions.map((d) => [d.time, d.reasons]));
  const kept = decisions
    .filter((d) => d.keep)
    .map((d) => d.time)
    .sort();
  return { kept, reasons };
}

/** One test per row, named after it. */
export function retentionTable(rows: readonly RetentionCase[]): void {
  for (const row of rows) {
    test(row.name, () => {
      const { kept, reasons } = decide(row);
      assert.deepEqual(kept, [...row.kept].sort());
      for (const [time, expected] of Object.entries(row.reasons ?? {})) {
        assert.deepEqual(reasons.get(time), expected, `reasons of ${time}`);
      }
    });
  }
}

/** A span with only the given parts set. */
export function span(parts: Partial<CalendarSpan>): CalendarSpan {
  return { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...parts };
}
