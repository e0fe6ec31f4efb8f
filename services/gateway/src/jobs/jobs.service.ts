import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable } from '@nestjs/common';
import { CATALOG, type Job, type Run, type RunKind, type RunRequest } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { RunQueue } from '../runs/run-queue.repository.js';
import { jobCommandLine } from './command-line.js';

/** Starting runs: the catalog records the run, then the request goes on the work queue. */
@Injectable()
export class JobsService {
  constructor(
    private readonly services: ServiceClient,
    private readonly queue: RunQueue,
  ) {}

  async start(
    jobId: string,
    kind: RunKind,
    extra: Pick<RunRequest, 'restore' | 'verify'> = {},
  ): Promise<Run> {
    if (kind === 'unlock') await this.refuseUnlockWhileRunning(jobId);
    const runId = randomUUID();
    const { run } = await this.services.call(CATALOG.runs.create, {
      id: runId,
      jobId,
      kind,
      trigger: 'api',
      ...(extra.restore ? { restore: extra.restore } : {}),
    });
    await this.queue.enqueue({ runId, jobId, kind, ...extra });
    return run;
  }

  /**
   * An unlock removes every lock on the repository; a running run's lock is live, so it is asked for
   * only when none runs. (A run that starts meanwhile waits: the runner runs one run of a job at a time.)
   */
  private async refuseUnlockWhileRunning(jobId: string): Promise<void> {
    const [job, [running]] = await Promise.all([
      this.services.call(CATALOG.jobs.get, { id: jobId }),
      this.services.call(CATALOG.runs.list, { jobId, status: 'running', limit: 1 }),
    ]);
    if (running) {
      throw new ConflictException(
        `a ${running.kind} of "${job.name}" is running, and its lock on the repository is in use: ` +
          'unlock only removes locks left by runs that stopped; wait for it to finish, or cancel it first',
      );
    }
  }

  /** The `cairn` commands that do what a run of this job does, without the server. */
  async commandLine(job: Job): Promise<string> {
    const [destination, snapshots] = await Promise.all([
      this.services.call(CATALOG.destinations.get, { id: job.destinationId }),
      this.services.call(CATALOG.snapshots.list, { jobId: job.id }),
    ]);
    const newest = snapshots.toSorted((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
    return jobCommandLine(job, destination, newest?.host);
  }
}
