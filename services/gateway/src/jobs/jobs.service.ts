import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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

  async start(jobId: string, kind: RunKind, extra: Pick<RunRequest, 'restore'> = {}): Promise<Run> {
    const runId = randomUUID();
    const { run } = await this.services.call(CATALOG.runs.create, {
      id: runId,
      jobId,
      kind,
      trigger: 'api',
      ...extra,
    });
    await this.queue.enqueue({ runId, jobId, kind, ...extra });
    return run;
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
