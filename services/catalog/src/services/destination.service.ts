import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  HandlerError,
  listInWords,
  type Destination,
  type DestinationInput,
  type DestinationPatch,
  type Logger,
} from '@cairn/contracts';
import type { DestinationEntity } from '../entities/destination.entity.js';
import { toDestination } from '../mappers/destination.mapper.js';
import { DestinationRepository } from '../repositories/destination.repository.js';
import { JobRepository } from '../repositories/job.repository.js';
import { LOGGER } from '../tokens.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';
import { SecretBox } from '../utils/secret-box.js';
import { openSecrets, sealSecrets } from '../utils/sealed-secrets.js';

export interface ResolvedDestination {
  url: string;
  options: Record<string, string>;
  secrets: Record<string, string>;
}

const secretContext = (destinationId: string, name: string) => `destination:${destinationId}:secret:${name}`;

/** `"Offsite" is still used by "Mail" and "Photos": …` — the jobs to delete or move first. */
function inUse(destination: string, jobNames: readonly string[]): HandlerError {
  const list = listInWords(jobNames.map((name) => `"${name}"`));
  const what = jobNames.length > 1 ? 'those jobs' : 'that job';
  return new HandlerError(
    'conflict',
    `"${destination}" is still used by ${list}: delete or move ${what} first`,
  );
}

@Injectable()
export class DestinationService {
  constructor(
    private readonly destinations: DestinationRepository,
    private readonly jobs: JobRepository,
    private readonly secretBox: SecretBox,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(): Promise<Destination[]> {
    return (await this.destinations.list()).map(toDestination);
  }

  async get(id: string): Promise<Destination> {
    return toDestination(await this.find(id));
  }

  async create(input: DestinationInput): Promise<Destination> {
    const id = randomUUID();
    const created = await this.write(
      this.destinations.create({
        id,
        name: input.name,
        url: input.url,
        options: input.options,
        secrets: this.sealAll(id, {}, input.secrets ?? {}),
      }),
      input.name,
    );
    this.logger.info({ destinationId: id, name: input.name }, 'destination created');
    return toDestination(created);
  }

  /** Secrets are merged by name (their values cannot be sent back); an empty value removes one. */
  async update(id: string, patch: DestinationPatch): Promise<Destination> {
    const current = await this.find(id);
    const next: DestinationEntity = {
      ...current,
      name: patch.name ?? current.name,
      url: patch.url ?? current.url,
      options: patch.options ?? current.options,
      secrets: this.sealAll(id, current.secrets, patch.secrets ?? {}),
    };
    const updated = await this.write(this.destinations.update(next), next.name);
    this.logger.info({ destinationId: id }, 'destination updated');
    return toDestination(updated);
  }

  /** Refused while a job keeps its repository there, naming those jobs. */
  async remove(id: string): Promise<{ removed: boolean }> {
    const destination = await this.find(id);
    const jobNames = await this.jobs.namesUsing(id);
    if (jobNames.length > 0) throw inUse(destination.name, jobNames);
    const removed = await translateConstraints(this.destinations.remove(id), {
      // A job saved between the check and the delete.
      jobs_destination_id_fkey: () =>
        new HandlerError('conflict', `a job was just saved with "${destination.name}": try again`),
    });
    if (!removed) throw errors.notFound('destination', id);
    this.logger.info({ destinationId: id }, 'destination removed');
    return { removed };
  }

  /** For runners: the destination with its secrets decrypted. */
  async resolve(id: string): Promise<ResolvedDestination> {
    return this.open(await this.find(id));
  }

  open(entity: DestinationEntity): ResolvedDestination {
    const secrets = openSecrets(this.secretBox, entity.secrets, (name) => secretContext(entity.id, name));
    return { url: entity.url, options: entity.options, secrets };
  }

  private async find(id: string): Promise<DestinationEntity> {
    const destination = await this.destinations.get(id);
    if (!destination) throw errors.notFound('destination', id);
    return destination;
  }

  private sealAll(
    id: string,
    sealed: Record<string, string>,
    changes: Record<string, string>,
  ): Record<string, string> {
    return sealSecrets(this.secretBox, sealed, changes, (name) => secretContext(id, name));
  }

  private write(write: Promise<DestinationEntity>, name: string): Promise<DestinationEntity> {
    return translateConstraints(write, {
      destinations_name_key: () => errors.nameTaken('destination', name),
    });
  }
}
