import type { SnapshotRecord } from '../../core/api.types';

export interface Day {
  label: string;
  snapshots: SnapshotRecord[];
}

/** Snapshots grouped by local calendar day, in the order given (newest first from the page). */
export function groupByDay(snapshots: readonly SnapshotRecord[], now = new Date()): Day[] {
  const days = new Map<string, Day>();
  for (const snapshot of snapshots) {
    const time = new Date(snapshot.time);
    const key = time.toDateString();
    let day = days.get(key);
    if (!day) days.set(key, (day = { label: dayLabel(time, now), snapshots: [] }));
    day.snapshots.push(snapshot);
  }
  return [...days.values()];
}

function dayLabel(time: Date, now: Date): string {
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (time.toDateString() === now.toDateString()) return 'Today';
  if (time.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return time.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(time.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}
