import type { Run, RunFinished, RunStarted, RunStatus } from '../core/api.types';

/** What the activity stream told of a run after the dashboard loaded it. */
export type RunUpdate = Pick<Run, 'status' | 'startedAt'> &
  Partial<Pick<Run, 'finishedAt' | 'stats' | 'error'>>;

export function startedUpdate({ startedAt }: RunStarted): RunUpdate {
  return { status: 'running', startedAt };
}

/** The event carries the whole result: the card shows it without asking the catalog. */
export function finishedUpdate({ status, startedAt, finishedAt, stats, error }: RunFinished): RunUpdate {
  return { status, startedAt, finishedAt, stats, error };
}

/** Queued, running, ended: a run never goes back, so an older answer never undoes a newer event. */
function stage(status: RunStatus): number {
  if (status === 'queued') return 0;
  return status === 'running' ? 1 : 2;
}

/** The loaded runs with what the stream said since, where that is news. */
export function withUpdates(runs: readonly Run[], updates: ReadonlyMap<string, RunUpdate>): Run[] {
  return runs.map((run) => {
    const update = updates.get(run.id);
    return update && stage(update.status) > stage(run.status) ? { ...run, ...update } : run;
  });
}

/**
 * The updates a fresh load has not caught up with: the catalog records the same events, a moment
 * later, so its answer may still call an ended run running. Runs the load did not return are dropped.
 */
export function pendingUpdates(
  updates: ReadonlyMap<string, RunUpdate>,
  loaded: Iterable<readonly Run[]>,
): Map<string, RunUpdate> {
  const byId = new Map([...loaded].flat().map((run) => [run.id, run]));
  return new Map(
    [...updates].filter(([id, update]) => {
      const run = byId.get(id);
      return run !== undefined && stage(run.status) < stage(update.status);
    }),
  );
}
