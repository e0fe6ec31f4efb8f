import { CronSchedule, scheduleProblem } from '@cairn/contracts';
import type { Namespace, PersistentVolumeClaim } from '../kube/objects.js';
import {
  BACKUP,
  CONTROLLER,
  DEFAULT_JOB,
  JOB,
  MANAGED_BY,
  REPOSITORY_SECRET,
  RESTORE_FROM,
  RESTORE_SNAPSHOT,
  SCHEDULE,
} from './annotations.js';

export interface BackupDefaults {
  schedule: string;
  timezone: string;
  secret: string;
}

export interface BackupSettings {
  schedule: CronSchedule;
  job: string;
  secret: string;
}

/**
 * How a PVC is to be backed up, from its annotations, else its namespace's, else the defaults:
 * null when it is not to be; a `problem` in words when an annotation cannot be used.
 */
export function backupSettings(
  claim: PersistentVolumeClaim,
  namespace: Namespace | undefined,
  defaults: BackupDefaults,
): BackupSettings | { problem: string } | null {
  // What the controller made itself (the copies of snapshots) is never a source.
  if (claim.metadata.labels?.[MANAGED_BY] === CONTROLLER) return null;
  const annotation = annotations(claim, namespace);
  if (annotation(BACKUP) !== 'true') return null;
  const expression = annotation(SCHEDULE) ?? defaults.schedule;
  const problem = scheduleProblem(expression, defaults.timezone);
  if (problem) return { problem: `${SCHEDULE} "${expression}": ${problem.message}` };
  return {
    schedule: new CronSchedule(expression.trim().split(/\s+/).join(' '), defaults.timezone),
    job: annotation(JOB) ?? DEFAULT_JOB,
    secret: annotation(REPOSITORY_SECRET) ?? defaults.secret,
  };
}

/** An annotation of the PVC, else of its namespace. */
function annotations(claim: PersistentVolumeClaim, namespace: Namespace | undefined) {
  return (name: string): string | undefined =>
    claim.metadata.annotations?.[name] ?? namespace?.metadata.annotations?.[name];
}

export interface RestoreRequest {
  /** The PVC (same namespace) whose snapshot line it is. */
  from: string;
  snapshot: string;
  secret: string;
  /** The job whose history records the restore (the PVC's cairn.io/job, else its namespace's). */
  job: string;
}

const CLAIM_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SNAPSHOT_ID = /^[0-9a-f]{8,64}$/;

/**
 * A restore asked for on the PVC itself (never through its namespace): null when none is; a
 * `problem` in words when the annotations cannot be used.
 */
export function restoreRequest(
  claim: PersistentVolumeClaim,
  namespace: Namespace | undefined,
  defaults: BackupDefaults,
): RestoreRequest | { problem: string } | null {
  const own = claim.metadata.annotations ?? {};
  const from = own[RESTORE_FROM];
  if (from === undefined) return null;
  const snapshot = own[RESTORE_SNAPSHOT];
  if (!CLAIM_NAME.test(from)) return { problem: `${RESTORE_FROM} "${from}" is not a PVC name` };
  if (!snapshot || !SNAPSHOT_ID.test(snapshot))
    return {
      problem: `${RESTORE_SNAPSHOT} must name the snapshot to restore (its id, 8 to 64 hex digits, as \`cairn snapshots\` shows); got ${snapshot === undefined ? 'nothing' : `"${snapshot}"`}`,
    };
  const annotation = annotations(claim, namespace);
  return {
    from,
    snapshot,
    secret: annotation(REPOSITORY_SECRET) ?? defaults.secret,
    job: annotation(JOB) ?? DEFAULT_JOB,
  };
}
