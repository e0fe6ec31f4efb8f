import { CronSchedule, scheduleProblem } from '@cairn/contracts';
import type { Namespace, PersistentVolumeClaim } from '../kube/objects.js';
import {
  BACKUP,
  CONTROLLER,
  DEFAULT_JOB,
  JOB,
  MANAGED_BY,
  REPOSITORY_SECRET,
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
  const annotation = (name: string) =>
    claim.metadata.annotations?.[name] ?? namespace?.metadata.annotations?.[name];
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
