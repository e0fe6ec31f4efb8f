import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  defaultRepositoryPath,
  HandlerError,
  repositoryUrl,
  SUBJECTS,
  type Job,
  type JobInput,
  type JobPatch,
  type Logger,
  type ResolvedJob,
  type SchedulesChanged,
} from '@cairn/contracts';
import type { JobEntity } from '../entities/job.entity.js';
import { toJob } from '../mappers/job.mapper.js';
import { JobRepository } from '../repositories/job.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER } from '../tokens.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';
import { SecretBox } from '../utils/secret-box.js';
import { DestinationService } from './destination.service.js';
import { PassphraseChangeService } from './passphrase-change.service.js';

const passphraseContext = (jobId: string) => `job:${jobId}:passphrase`;

@Injectable()
export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly destinations: DestinationService,
    private readonly passphrases: PassphraseChangeService,
    private readonly nats: NatsRepository,
    private readonly secretBox: SecretBox,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(): Promise<Job[]> {
    return (await this.jobs.list()).map(toJob);
  }

  async get(id: string): Promise<Job> {
    return toJob(await this.find(id));
  }

  async create(input: JobInput): Promise<Job> {
    if (!input.passphrase) {
      throw new HandlerError(
        'bad-request',
        'passphrase: a new job needs a repository passphrase',
        'passphrase',
      );
    }
    const id = randomUUID();
    const { passphrase, ...fields } = input;
    const created = await this.write(
      this.jobs.create({
        ...fields,
        id,
        repositoryPath: fields.repositoryPath ?? defaultRepositoryPath(fields.name),
        channelIds: fields.channelIds ?? [],
        overdueAfterMinutes: fields.overdueAfterMinutes ?? null,
        passphrase: this.secretBox.seal(passphrase, passphraseContext(id)),
      }),
      input,
    );
    this.logger.info({ jobId: id, name: input.name }, 'job created');
    this.schedulesChanged({ jobId: id, change: 'created' });
    return toJob(created);
  }

  /** A new passphrase is saved only once the repository opens with it (PassphraseChangeService). */
  async update(id: string, patch: JobPatch): Promise<Job> {
    const current = await this.find(id);
    const { passphrase, ...fields } = patch;
    const next: JobEntity = {
      ...current,
      ...definedOnly(fields),
      ...(passphrase ? { passphrase: this.secretBox.seal(passphrase, passphraseContext(id)) } : {}),
    };
    const save = () => this.write(this.jobs.update(next), next);
    const updated = passphrase
      ? await this.passphrases.change(await this.resolve(id), passphrase, save)
      : await save();
    this.logger.info({ jobId: id }, 'job updated');
    this.schedulesChanged({ jobId: id, change: 'updated' });
    return toJob(updated);
  }

  async remove(id: string): Promise<{ removed: boolean }> {
    if (!(await this.jobs.remove(id))) throw errors.notFound('job', id);
    this.logger.info({ jobId: id }, 'job removed');
    this.schedulesChanged({ jobId: id, change: 'removed' });
    return { removed: true };
  }

  /** For runners: the job with its passphrase and its destination's secrets decrypted. */
  async resolve(id: string): Promise<ResolvedJob> {
    const job = await this.jobs.getWithDestination(id);
    if (!job) throw errors.notFound('job', id);
    const destination = this.destinations.open(job.destination);
    return {
      ...toJob(job),
      passphrase: this.secretBox.open(job.passphrase, passphraseContext(id)),
      destination: { ...destination, url: repositoryUrl(destination.url, job.repositoryPath) },
    };
  }

  private async find(id: string): Promise<JobEntity> {
    const job = await this.jobs.get(id);
    if (!job) throw errors.notFound('job', id);
    return job;
  }

  private write(
    write: Promise<JobEntity>,
    job: Pick<JobEntity, 'name' | 'destinationId'> & { repositoryPath?: string },
  ): Promise<JobEntity> {
    return translateConstraints(write, {
      jobs_name_key: () => errors.nameTaken('job', job.name),
      jobs_destination_repository_key: () =>
        new HandlerError(
          'conflict',
          `repositoryPath: another job already keeps its repository at "${job.repositoryPath ?? defaultRepositoryPath(job.name)}" on this destination (one job per repository)`,
          'repositoryPath',
        ),
      jobs_destination_id_fkey: () =>
        errors.unknownReference('destinationId', 'destination', job.destinationId),
    });
  }

  /** Schedulers reload on this notice; it carries no job details, so nothing secret can leak. */
  private schedulesChanged(notice: SchedulesChanged): void {
    this.nats.publish(SUBJECTS.schedulesChanged, notice);
  }
}

/** A patch's fields that were sent (zod leaves absent ones undefined). */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
