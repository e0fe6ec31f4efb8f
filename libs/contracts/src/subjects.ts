/** NATS subjects (DESIGN §5): `cairn.<service>.<verb>`. */
export const SUBJECTS = {
  /** Work queue of run requests (JetStream stream JOBS). */
  runRequest: 'cairn.jobs.run',
  /** ~2/s per run, core NATS: too frequent and too short-lived to persist. */
  runProgress: (runId: string) => `cairn.runs.${runId}.progress`,
  runProgressAll: 'cairn.runs.*.progress',
  runCancel: (runId: string) => `cairn.runs.${runId}.cancel`,
  /** JetStream stream EVENTS. */
  runStarted: 'cairn.events.run.started',
  runFinished: 'cairn.events.run.finished',
  /** Core NATS: the scheduler reloads its timers. */
  schedulesChanged: 'cairn.events.schedules.changed',
  schedulerPause: 'cairn.scheduler.pause',
  /** JetStream stream SCHEDULER, last value only: the pause every scheduler replica obeys. */
  schedulerPauseState: 'cairn.scheduler.state.pause',
  schedulerStatus: 'cairn.scheduler.status',
  runnerBrowse: 'cairn.runner.browse',
  runnerTestDestination: 'cairn.runner.destination.test',
  runnerTestSavedDestination: 'cairn.runner.destination.test-saved',
  /** Prefix of the subjects byte streams (downloads) flow on: `cairn.streams.<unique id>`. */
  streams: 'cairn.streams',
  /** A passphrase change: the catalog has a runner add the new key, then remove the old one. */
  runnerKeyAdd: 'cairn.runner.key.add',
  runnerKeyRemove: 'cairn.runner.key.remove',
  notifierTest: 'cairn.notifier.test',
  catalog: (entity: string, verb: string) => `cairn.catalog.${entity}.${verb}`,
} as const;

export const STREAMS = {
  jobs: { name: 'JOBS', subjects: ['cairn.jobs.>'] },
  events: { name: 'EVENTS', subjects: ['cairn.events.run.>'] },
  /** Shared scheduler state that must outlive a restart and reach every replica. */
  scheduler: { name: 'SCHEDULER', subjects: ['cairn.scheduler.state.>'] },
} as const;

/** JetStream key-value buckets. */
export const BUCKETS = {
  /** A key per job while a runner works on it, so that runs of one job never overlap (DESIGN §6). */
  jobLocks: 'CAIRN_JOB_LOCKS',
} as const;

export const CONSUMERS = {
  /** Runners share one durable work-queue consumer: each request goes to one runner. */
  runners: 'runners',
  /** The catalog records run state from events. */
  catalog: 'catalog',
  notifier: 'notifier',
} as const;
