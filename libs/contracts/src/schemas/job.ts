import { validatePolicy, type RetentionPolicy } from '@cairn/engine/retention-policy';
import * as z from 'zod';
import { passphraseProblem } from '../rules/passphrase.js';
import { scheduleProblem } from '../rules/schedule.js';
import { Id, SecretState, Timestamp } from './common.js';
import { patchOf } from './patch.js';

export const Retention = z.object({
  keepLast: z.number().int().positive().optional(),
  keepHourly: z.number().int().positive().optional(),
  keepDaily: z.number().int().positive().optional(),
  keepWeekly: z.number().int().positive().optional(),
  keepMonthly: z.number().int().positive().optional(),
  keepYearly: z.number().int().positive().optional(),
  keepWithin: z.string().optional(),
  /** Duplicati's "1W:1D,4W:1W,12M:1M". */
  policy: z.string().optional(),
});
export type Retention = z.infer<typeof Retention>;

/** A retention as saved: the engine must accept it, so a bad rule is refused now, not at the run. */
export const RetentionInput = Retention.superRefine((retention, context) => {
  const refuse = (path: string[], message: string) => context.addIssue({ code: 'custom', path, message });
  if (Object.values(retention).every((value) => value === undefined)) {
    refuse([], 'a retention needs at least one keep rule; to keep every snapshot, set no retention (null)');
  }
  const check = (field: 'keepWithin' | 'policy', policy: RetentionPolicy) => {
    try {
      validatePolicy(policy);
    } catch (error) {
      refuse([field], (error as Error).message);
    }
  };
  if (retention.keepWithin !== undefined) check('keepWithin', { keepWithin: retention.keepWithin });
  if (retention.policy !== undefined) check('policy', { retentionPolicy: retention.policy });
});

export const Schedule = z.object({
  /** A cron expression, e.g. "30 2 * * *": five fields, or six with seconds first. */
  cron: z.string().trim().min(9).max(200),
  timezone: z.string().default('UTC'),
});
export type Schedule = z.infer<typeof Schedule>;

/** A schedule as saved: one the scheduler can fire, so a job never fails later for its schedule. */
export const ScheduleInput = Schedule.superRefine(({ cron, timezone }, context) => {
  const problem = scheduleProblem(cron, timezone);
  if (problem) context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
});

/** A repository passphrase as saved: the weakest ones a guesser tries first are refused. */
export const Passphrase = z.string().superRefine((passphrase, context) => {
  const problem = passphraseProblem(passphrase);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** Folders under a destination: letters, digits, `.`, `_`, `-`, with `/` between parts. */
export const RepositoryPath = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)*$/,
    'letters, digits, ".", "_", "-", with "/" between folders',
  );

const KiBps = z
  .number()
  .int('a whole number of KiB/s')
  .positive('at least 1 KiB/s; leave it out for no limit');

/** Caps on a job's repository traffic in KiB/s, like `cairn --limit-upload/--limit-download`; absent = no cap. */
export const BandwidthLimits = z.object({ uploadKiBps: KiBps.optional(), downloadKiBps: KiBps.optional() });
export type BandwidthLimits = z.infer<typeof BandwidthLimits>;

export const JobInput = z.object({
  name: z.string().trim().min(1).max(100),
  sources: z.array(z.string().startsWith('/')).min(1),
  excludes: z.array(z.string()).default([]),
  destinationId: Id,
  /**
   * The job's repository lies at this path under its destination; defaults to the name as a slug.
   * One job per repository, so one job's retention never judges another job's snapshots.
   */
  repositoryPath: RepositoryPath.optional(),
  schedule: ScheduleInput.nullable().default(null),
  /** When to verify the repository (structure and a sample of the data), apart from the backups; null = never. */
  verifySchedule: ScheduleInput.nullable().default(null),
  retention: RetentionInput.nullable().default(null),
  compression: z.enum(['off', 'fast', 'default', 'max']).default('default'),
  packSizeMiB: z.number().int().min(1).max(1024).default(16),
  /**
   * The source guard: a backup whose source holds fewer files than this share of the parent
   * snapshot's ends `warning` and skips retention and prune; 0 turns the comparison off.
   */
  minSourceFilesPercent: z.number().int().min(0).max(100).default(50),
  /** The repository password. Required on create; write-only. */
  passphrase: Passphrase.optional(),
  enabled: z.boolean().default(true),
  /** Notification channels of this job; absent or empty = the channels marked default. */
  channelIds: z.array(Id).optional(),
  /**
   * An "overdue" report when the last success is older than this; null = twice the schedule's
   * interval (no schedule: never overdue).
   */
  overdueAfterMinutes: z.number().int().positive().nullable().optional(),
  /** Bandwidth caps for every run of the job (and its downloads); null = none. */
  limits: BandwidthLimits.nullable().default(null),
});
export type JobInput = z.infer<typeof JobInput>;

/** A job update: absent fields stay as they are; `schedule: null` removes the schedule. */
export const JobPatch = patchOf(JobInput);
export type JobPatch = z.infer<typeof JobPatch>;

/** Payload of SUBJECTS.schedulesChanged: the scheduler reloads (at least) this job. */
export const SchedulesChanged = z.object({
  jobId: Id,
  change: z.enum(['created', 'updated', 'removed']),
});
export type SchedulesChanged = z.infer<typeof SchedulesChanged>;

/**
 * A job as stored. Its schedule and retention are read as they are, without the save-time checks:
 * a job saved before a check existed must still list (and show what is wrong with it), not hide
 * every other job.
 */
export const Job = JobInput.omit({ passphrase: true }).extend({
  schedule: Schedule.nullable(),
  /** Absent in replies of catalogs older than the field: no verify schedule. */
  verifySchedule: Schedule.nullable().optional(),
  /** Absent in replies of catalogs older than the field: no limits. */
  limits: BandwidthLimits.nullable().optional(),
  retention: Retention.nullable(),
  id: Id,
  repositoryPath: RepositoryPath,
  passphrase: SecretState,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Job = z.infer<typeof Job>;

/** What a runner needs to run a job: everything, secrets decrypted. Only over request/reply, never in a stream. */
export const ResolvedJob = Job.omit({ passphrase: true }).extend({
  passphrase: z.string(),
  destination: z.object({
    url: z.string(),
    options: z.record(z.string(), z.string()),
    secrets: z.record(z.string(), z.string()),
  }),
});
export type ResolvedJob = z.infer<typeof ResolvedJob>;
