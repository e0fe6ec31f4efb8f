import {
  applyWhen,
  max,
  min,
  schema,
  validate,
  type FieldContext,
  type ValidationError,
} from '@angular/forms/signals';
import { passphraseProblem } from '@contracts/rules/passphrase';
import type { Job, JobInput, JobPatch } from '../../core/api.types';
import {
  DEFAULT_SCHEDULE,
  browserTimeZone,
  choiceOf,
  cronOf,
  cronProblem,
  timeProblem,
  type ScheduleChoice,
} from '../lib/cron';
import {
  bucketProblem,
  folderPathProblem,
  folderTarget,
  hostKeyProblem,
  hostProblem,
  s3EndpointProblem,
  s3Target,
  sftpPathProblem,
  sftpTarget,
  type DestinationKind,
  type DestinationTarget,
  type FolderFields,
  type S3Fields,
  type SftpFields,
} from '../lib/destination-url';
import {
  DEFAULT_RETENTION,
  choiceOfRetention,
  customRetentionProblem,
  policyProblem,
  retentionOf,
  withinProblem,
  type RetentionChoice,
} from '../lib/retention';
import { verifyScheduleOf } from '../lib/verify-schedule';

export type Compression = JobInput['compression'];

/** Everything the wizard asks, as the person sees it; turned into the API's shapes on save. */
export interface JobDraft {
  general: { name: string; passphrase: string; repeat: string };
  destination: DestinationDraft;
  sources: { paths: string[]; excludes: string[] };
  schedule: ScheduleChoice;
  retention: RetentionChoice;
  options: {
    compression: Compression;
    packSizeMiB: number | null;
    channelIds: string[];
    /** False: the schedule is kept but does not fire ("Back up now" still works). */
    enabled: boolean;
    /** Empty: overdue after twice the schedule's interval (the notifier's rule). */
    overdueHours: number | null;
    /** When verify runs fire (a cron line, lib/verify-schedule); '' never. */
    verifyCron: string;
    /** Bandwidth caps in KiB/s; empty: no limit. */
    uploadKiBps: number | null;
    downloadKiBps: number | null;
  };
}

export interface DestinationDraft {
  mode: 'existing' | 'new';
  existingId: string;
  kind: DestinationKind;
  /** Blank: a name made from the location. */
  name: string;
  folder: FolderFields;
  s3: S3Fields;
  sftp: SftpFields;
  /** Blank: the job's name as a slug (the catalog's default). */
  repositoryPath: string;
}

export function emptyDraft(): JobDraft {
  return {
    general: { name: '', passphrase: '', repeat: '' },
    destination: {
      mode: 'new',
      existingId: '',
      kind: 'folder',
      name: '',
      folder: { path: '' },
      s3: {
        endpoint: '',
        bucket: '',
        prefix: '',
        region: '',
        pathStyle: null,
        createBucket: false,
        storageClass: '',
        accessKeyId: '',
        secretAccessKey: '',
      },
      sftp: {
        user: '',
        host: '',
        port: 22,
        path: '',
        hostKey: '',
        auth: 'key',
        privateKey: '',
        privateKeyPassphrase: '',
        password: '',
      },
      repositoryPath: '',
    },
    sources: { paths: [], excludes: [] },
    schedule: { ...DEFAULT_SCHEDULE },
    retention: { ...DEFAULT_RETENTION },
    options: {
      compression: 'default',
      packSizeMiB: 16,
      channelIds: [],
      enabled: true,
      overdueHours: null,
      verifyCron: '',
      uploadKiBps: null,
      downloadKiBps: null,
    },
  };
}

/** A saved job as a draft to edit: the passphrase stays empty (write-only, kept unless retyped). */
export function draftOf(job: Job): JobDraft {
  const draft = emptyDraft();
  return {
    ...draft,
    general: { name: job.name, passphrase: '', repeat: '' },
    destination: {
      ...draft.destination,
      mode: 'existing',
      existingId: job.destinationId,
      repositoryPath: job.repositoryPath,
    },
    sources: { paths: [...job.sources], excludes: [...job.excludes] },
    schedule: choiceOf(job.schedule?.cron),
    retention: choiceOfRetention(job.retention),
    options: {
      compression: job.compression,
      packSizeMiB: job.packSizeMiB,
      channelIds: [...(job.channelIds ?? [])],
      enabled: job.enabled,
      overdueHours: job.overdueAfterMinutes ? job.overdueAfterMinutes / 60 : null,
      verifyCron: job.verifySchedule?.cron ?? '',
      uploadKiBps: job.limits?.uploadKiBps ?? null,
      downloadKiBps: job.limits?.downloadKiBps ?? null,
    },
  };
}

/** Where a new destination points, from the fields of its kind. */
export function destinationTarget(destination: DestinationDraft): DestinationTarget {
  switch (destination.kind) {
    case 'folder':
      return folderTarget(destination.folder);
    case 's3':
      return s3Target(destination.s3);
    case 'sftp':
      return sftpTarget(destination.sftp);
  }
}

/** The job as the API takes it, once the destination has an id. */
export function jobInputOf(draft: JobDraft, destinationId: string): Partial<JobInput> & JobPatch {
  const cron = cronOf(draft.schedule);
  const input: Partial<JobInput> = {
    name: draft.general.name.trim(),
    sources: draft.sources.paths,
    excludes: draft.sources.excludes,
    destinationId,
    schedule: cron ? { cron, timezone: browserTimeZone() } : null,
    verifySchedule: verifyScheduleOf(draft.options.verifyCron, browserTimeZone()),
    retention: retentionOf(draft.retention),
    compression: draft.options.compression,
    packSizeMiB: draft.options.packSizeMiB ?? 16,
    channelIds: draft.options.channelIds,
    enabled: draft.options.enabled,
    overdueAfterMinutes:
      draft.options.overdueHours === null ? null : Math.max(1, Math.round(draft.options.overdueHours * 60)),
    limits: limitsOf(draft.options),
  };
  if (draft.destination.repositoryPath.trim()) input.repositoryPath = draft.destination.repositoryPath.trim();
  if (draft.general.passphrase) input.passphrase = draft.general.passphrase;
  return input;
}

/** The caps the two fields set; null when both are empty (no limit either way). */
function limitsOf({ uploadKiBps, downloadKiBps }: JobDraft['options']): JobInput['limits'] {
  if (uploadKiBps === null && downloadKiBps === null) return null;
  return {
    ...(uploadKiBps !== null ? { uploadKiBps } : {}),
    ...(downloadKiBps !== null ? { downloadKiBps } : {}),
  };
}

const REPOSITORY_PATH = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)*$/;

type Check<T> = (value: T) => string | null;

/** A validator from a helper that answers in words. */
function problem<T>(check: Check<T>) {
  return ({ value }: FieldContext<T>): ValidationError | null => {
    const message = check(value());
    return message ? { kind: 'invalid', message } : null;
  };
}

const required = (message: string) => problem<string>((value) => (value.trim() ? null : message));

/** The wizard's validation, in the words each field shows; `editing` makes the passphrase optional. */
export function jobSchema(editing: () => boolean) {
  return schema<JobDraft>((draft) => {
    validate(draft.general.name, required('Give the backup a name'));
    validate(
      draft.general.name,
      problem((name) => (name.trim().length > 100 ? 'Keep the name to 100 characters or fewer' : null)),
    );
    validate(
      draft.general.passphrase,
      problem((passphrase) => {
        if (!passphrase) return editing() ? null : 'Choose a passphrase';
        // The catalog refuses the same (contracts' rule); merely weak ones get the strength meter's warning.
        return passphraseProblem(passphrase);
      }),
    );
    validate(draft.general.repeat, ({ value, valueOf }) => {
      const passphrase = valueOf(draft.general.passphrase);
      if (!passphrase && !value()) return null;
      if (!value()) return { kind: 'invalid', message: 'Type the passphrase again' };
      return value() === passphrase ? null : { kind: 'invalid', message: 'The two passphrases differ' };
    });

    const destination = draft.destination;
    const isNew = (kind: DestinationKind) => (context: FieldContext<DestinationDraft>) =>
      context.valueOf(destination.mode) === 'new' && context.valueOf(destination.kind) === kind;
    applyWhen(
      destination,
      ({ valueOf }) => valueOf(destination.mode) === 'existing',
      (existing) => validate(existing.existingId, required('Choose a destination')),
    );
    applyWhen(destination, isNew('folder'), (folder) =>
      validate(folder.folder.path, problem(folderPathProblem)),
    );
    applyWhen(destination, isNew('s3'), (s3) => {
      validate(s3.s3.endpoint, problem(s3EndpointProblem));
      validate(s3.s3.bucket, problem(bucketProblem));
    });
    applyWhen(destination, isNew('sftp'), (sftp) => {
      validate(sftp.sftp.user, required('Enter the user to log in as'));
      validate(sftp.sftp.host, problem(hostProblem));
      const portMessage = 'Enter a port between 1 and 65535 (SSH uses 22)';
      validate(
        sftp.sftp.port,
        problem((port) => (port === null || !Number.isInteger(port) ? portMessage : null)),
      );
      min(sftp.sftp.port, 1, { message: portMessage });
      max(sftp.sftp.port, 65535, { message: portMessage });
      validate(sftp.sftp.path, problem(sftpPathProblem));
      validate(sftp.sftp.hostKey, problem(hostKeyProblem));
      validate(sftp.sftp.privateKey, ({ value, valueOf }) =>
        valueOf(sftp.sftp.auth) === 'key' && !value().trim()
          ? { kind: 'invalid', message: 'Paste the private key, or log in with a password instead' }
          : null,
      );
      validate(sftp.sftp.password, ({ value, valueOf }) =>
        valueOf(sftp.sftp.auth) === 'password' && !value()
          ? { kind: 'invalid', message: 'Enter the password' }
          : null,
      );
    });
    validate(
      destination.repositoryPath,
      problem((path) =>
        !path.trim() || REPOSITORY_PATH.test(path.trim())
          ? null
          : 'Use letters, digits, ".", "_" and "-", with "/" between folders',
      ),
    );

    validate(
      draft.sources.paths,
      problem((paths) => (paths.length ? null : 'Choose at least one folder to back up')),
    );

    const schedule = draft.schedule;
    applyWhen(
      schedule,
      ({ valueOf }) => ['daily', 'weekly'].includes(valueOf(schedule.preset)),
      (timed) => validate(timed.time, problem(timeProblem)),
    );
    applyWhen(
      schedule,
      ({ valueOf }) => valueOf(schedule.preset) === 'cron',
      (custom) => validate(custom.cron, problem(cronProblem)),
    );

    const retention = draft.retention;
    applyWhen(
      retention,
      ({ valueOf }) => valueOf(retention.preset) === 'last',
      (last) => {
        const message = 'Enter how many backups to keep: 1 or more';
        validate(
          last.keepLast,
          problem((count) => (count === null || !Number.isInteger(count) ? message : null)),
        );
        min(last.keepLast, 1, { message });
      },
    );
    applyWhen(
      retention,
      ({ valueOf }) => valueOf(retention.preset) === 'within',
      (within) => validate(within.within, problem(withinProblem)),
    );
    applyWhen(
      retention,
      ({ valueOf }) => valueOf(retention.preset) === 'custom',
      (custom) => {
        validate(
          custom.policy,
          problem((policy) => (policy.trim() ? policyProblem(policy) : null)),
        );
        for (const count of [custom.keepDaily, custom.keepWeekly, custom.keepMonthly, custom.keepYearly]) {
          const message = 'Enter a whole number, or leave it empty';
          validate(
            count,
            problem((value) => (value === null || Number.isInteger(value) ? null : message)),
          );
          min(count, 0, { message });
        }
        validate(custom, problem(customRetentionProblem));
      },
    );

    const packMessage = 'Choose a pack size from 1 to 1024 MiB';
    validate(
      draft.options.packSizeMiB,
      problem((size) => (size === null || !Number.isInteger(size) ? packMessage : null)),
    );
    min(draft.options.packSizeMiB, 1, { message: packMessage });
    max(draft.options.packSizeMiB, 1024, { message: packMessage });
    validate(
      draft.options.overdueHours,
      problem((hours) =>
        hours === null || hours > 0 ? null : 'Enter a number of hours above 0, or leave it empty',
      ),
    );
    for (const rate of [draft.options.uploadKiBps, draft.options.downloadKiBps]) {
      validate(
        rate,
        problem((kiBps) =>
          kiBps === null || (Number.isInteger(kiBps) && kiBps >= 1)
            ? null
            : 'Enter a whole number of KiB/s, 1 or more, or leave it empty for no limit',
        ),
      );
    }
  });
}
