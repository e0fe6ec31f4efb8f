import type { Destination } from '@cairn/contracts';
import type { DestinationEntity } from '../entities/destination.entity.js';
import { secretStates } from './secret-state.js';

export function toDestination(entity: DestinationEntity): Destination {
  return {
    id: entity.id,
    name: entity.name,
    url: entity.url,
    options: entity.options,
    secrets: secretStates(entity.secrets),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
