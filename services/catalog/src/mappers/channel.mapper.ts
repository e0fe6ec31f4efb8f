import type { Channel } from '@cairn/contracts';
import type { ChannelEntity } from '../entities/channel.entity.js';
import { secretStates } from './secret-state.js';

export function toChannel(entity: ChannelEntity): Channel {
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    settings: entity.settings,
    secrets: secretStates(entity.secrets),
    levels: entity.levels,
    ...(entity.subjectTemplate === null ? {} : { subjectTemplate: entity.subjectTemplate }),
    ...(entity.bodyTemplate === null ? {} : { bodyTemplate: entity.bodyTemplate }),
    default: entity.isDefault,
    enabled: entity.enabled,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
