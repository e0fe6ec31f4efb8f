import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  HandlerError,
  type Destination,
  type DestinationInput,
  type DestinationPatch,
  type Logger,
} from '@cairn/contracts';
import type { DestinationEntity } from '../entities/destination.entity.js';
import { toDestination } from '../mappers/destination.mapper.js';
import { DestinationRepository } from '../repositories/destination.repository.js';
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

@Injectable()
export class DestinationService {
  constructor(
    private readonly destinations: DestinationRepository,
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

  async remove(id: string): Promise<{ removed: boolean }> {
    const removed = await translateConstraints(this.destinations.remove(id), {
      jobs_destination_id_fkey: () =>
        new HandlerError('conflict', 'the destination is used by a job: delete or move that job first'),
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
