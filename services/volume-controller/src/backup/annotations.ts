// What people write on a PVC or its namespace to have it backed up (the PVC's own word wins), and
// the labels the controller puts on what it makes.

/** "true" backs the volume up, "false" leaves it out (on a PVC, whatever its namespace says). */
export const BACKUP = 'cairn.io/backup';
/** A cron expression (five fields, or six with seconds first). */
export const SCHEDULE = 'cairn.io/schedule';
/**
 * The job's name, recorded as the snapshots' tag; the catalog's job of that name records the runs.
 * Also on each backup and restore pod: the job it runs for.
 */
export const JOB = 'cairn.io/job';
/** The Secret (in the volume's namespace) holding the repository's environment. */
export const REPOSITORY_SECRET = 'cairn.io/repository-secret';
/**
 * On the PVC to restore into (new or existing, never through its namespace): the PVC of the same
 * namespace (itself, for an existing one) whose snapshot to restore into it, and which snapshot.
 */
export const RESTORE_FROM = 'cairn.io/restore-from';
export const RESTORE_SNAPSHOT = 'cairn.io/restore-snapshot';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const CONTROLLER = 'cairn-volume-controller';
/** On each object of a backup: the uid of the PVC backed up, and the run it belongs to. */
export const SOURCE_UID = 'cairn.io/source-uid';
export const RUN = 'cairn.io/run';
/** On a restore pod: the uid of the PVC restored into. */
export const RESTORE_UID = 'cairn.io/restore-uid';
/** On everything the controller makes: the name of the PVC it serves (backed up or restored into). */
export const CLAIM = 'cairn.io/claim';
/** On each object of a backup: the schedule's fire it serves. */
export const SCHEDULED_AT = 'cairn.io/scheduled-at';

export const DEFAULT_JOB = 'volumes';
