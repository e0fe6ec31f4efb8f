import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CATALOG, repositoryUrl, type Job, type Run, type RunKind, type RunRequest } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { RunQueue } from '../runs/run-queue.repository.js';

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

  /** The `cairn backup` command line that works on this job's repository without the server. */
  async commandLine(job: Job): Promise<string> {
    const destination = await this.services.call(CATALOG.destinations.get, { id: job.destinationId });
    const quote = (value: string) =>
      /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
    const flags = [
      `--repo ${quote(repositoryUrl(destination.url, job.repositoryPath))}`,
      ...(job.compression !== 'default' ? [`--compression ${job.compression}`] : []),
      ...(job.packSizeMiB !== 16 ? [`--pack-size ${job.packSizeMiB}`] : []),
      ...job.excludes.map((pattern) => `--exclude ${quote(pattern)}`),
      `--tag ${quote(job.name)}`,
    ];
    return [
      `# The job's passphrase is the repository password: export CAIRN_PASSWORD (or CAIRN_PASSWORD_FILE) first.`,
      ...Object.keys(destination.secrets).map(
        (name) =>
          `# Destination secret ${name}: set it as the backend expects (see the README, "Remote destinations").`,
      ),
      `cairn backup ${flags.join(' ')} ${job.sources.map(quote).join(' ')}`,
    ].join('\n');
  }
}
