import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, CronSchedule, type Job, type Logger, type Schedule } from '@cairn/contracts';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER } from '../tokens.js';
import { runIdFor } from '../utils/run-id.js';
import { PauseService } from './pause.service.js';

/** What a job's schedules start: its backups, and (optionally) verifies of its repository. */
type ScheduledKind = 'backup' | 'verify';

const SCHEDULE_OF: Record<ScheduledKind, (job: Job) => Schedule | null> = {
  backup: (job) => job.schedule,
  verify: (job) => job.verifySchedule ?? null,
};

/** One schedule of a job, waiting for its next fire. */
interface Armed {
  job: Job;
  kind: ScheduledKind;
  schedule: CronSchedule;
  /** Null when the expression never fires again. */
  next: Date | null;
}

/** Looked at to decide whether a fire was missed while no scheduler ran. */
const RECENT_RUNS = 100;

/**
 * Turns job schedules into run requests (DESIGN §2). Each fire is named by (job, fire time), so
 * replicas that fire together, and retries, make one run. A due fire that could not be queued
 * stays due and is tried again on the next tick; when several fires are overdue (after a pause or
 * a stall) only the latest one runs.
 */
@Injectable()
export class ScheduleService {
  private armed = new Map<string, Armed>();

  constructor(
    private readonly nats: NatsRepository,
    private readonly pause: PauseService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Re-reads the jobs. A job whose schedule is unchanged keeps its pending fire; a new or changed
   * one waits for its next fire from now.
   */
  async load(now = new Date()): Promise<void> {
    const jobs = await this.nats.request(CATALOG.jobs.list, {});
    const armed = new Map<string, Armed>();
    for (const job of jobs) {
      if (!job.enabled) continue;
      for (const kind of Object.keys(SCHEDULE_OF) as ScheduledKind[]) {
        const stored = SCHEDULE_OF[kind](job);
        if (!stored) continue;
        const { cron, timezone } = stored;
        const key = `${job.id}/${kind}`;
        const current = this.armed.get(key);
        if (current && current.schedule.expression === cron && current.schedule.timezone === timezone) {
          armed.set(key, { ...current, job });
          continue;
        }
        try {
          const schedule = new CronSchedule(cron, timezone);
          armed.set(key, { job, kind, schedule, next: schedule.nextAfter(now) });
        } catch (error) {
          this.logger.warn(
            { jobId: job.id, kind, cron, timezone, err: error },
            'not scheduled: bad schedule',
          );
        }
      }
    }
    this.armed = armed;
    this.logger.info({ jobs: armed.size }, 'schedules loaded');
  }

  /**
   * After downtime: one run for the latest fire each job missed since its last scheduled run (or
   * since it was last changed), however many fires that were. Waits (returns false) while paused.
   */
  async catchUp(now = new Date()): Promise<boolean> {
    if (this.pause.until(now.getTime()) !== null) return false;
    await Promise.all(
      [...this.armed.values()].map(async (armed) => {
        const missed = armed.schedule.latestUntil(now);
        if (!missed || missed.getTime() <= (await this.lastAccounted(armed))) return;
        this.logger.info(
          { jobId: armed.job.id, kind: armed.kind, fireTime: missed.toISOString() },
          'catching up a missed fire',
        );
        await this.fire(armed, missed).catch((error: unknown) =>
          this.logger.error({ jobId: armed.job.id, err: error }, 'catch-up run could not be queued'),
        );
      }),
    );
    return true;
  }

  /** Fires what is due. */
  async tick(now = new Date()): Promise<void> {
    if (this.pause.until(now.getTime()) !== null) return;
    await Promise.all(
      [...this.armed.values()].map(async (armed) => {
        if (!armed.next || armed.next > now) return;
        try {
          await this.fire(armed, armed.schedule.latestUntil(now)!);
          armed.next = armed.schedule.nextAfter(now);
        } catch (error) {
          this.logger.error({ jobId: armed.job.id, err: error }, 'run could not be queued; trying again');
        }
      }),
    );
  }

  /** The next backup of every scheduled job, soonest first (what "next run" means to its readers). */
  upcoming(): { jobId: string; at: string }[] {
    return [...this.armed.values()]
      .flatMap(({ job, kind, next }) => (next && kind === 'backup' ? [{ jobId: job.id, at: next }] : []))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(({ jobId, at }) => ({ jobId, at: at.toISOString() }));
  }

  private async fire({ job, kind }: Armed, fireTime: Date): Promise<void> {
    const runId = runIdFor(job.id, fireTime, kind);
    // Created first, so the run exists before any runner can take the request.
    await this.nats.request(CATALOG.runs.create, { id: runId, jobId: job.id, kind, trigger: 'schedule' });
    const { duplicate } = await this.nats.publishRunRequest({
      runId,
      jobId: job.id,
      kind,
      fireTime: fireTime.toISOString(),
    });
    this.logger.info({ jobId: job.id, kind, runId, fireTime: fireTime.toISOString(), duplicate }, 'fired');
  }

  /** Since when a schedule's fires are accounted for: its latest scheduled run, or the job's last change. */
  private async lastAccounted({ job, kind }: Armed): Promise<number> {
    const runs = await this.nats.request(CATALOG.runs.list, { jobId: job.id, kind, limit: RECENT_RUNS });
    const scheduled = runs.filter((run) => run.trigger === 'schedule').map((run) => Date.parse(run.queuedAt));
    return Math.max(Date.parse(job.updatedAt), ...scheduled);
  }
}
