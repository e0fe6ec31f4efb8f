import type { Job } from '@cairn/contracts';
import type { JobEntity } from '../entities/job.entity.js';

export function toJob(entity: JobEntity): Job {
  return {
    id: entity.id,
    name: entity.name,
    sources: entity.sources,
    excludes: entity.excludes,
    destinationId: entity.destinationId,
    repositoryPath: entity.repositoryPath,
    schedule: entity.schedule,
    verifySchedule: entity.verifySchedule,
    retention: entity.retention,
    limits: entity.limits,
    compression: entity.compression,
    packSizeMiB: entity.packSizeMiB,
    minSourceFilesPercent: entity.minSourceFilesPercent,
    passphrase: { set: entity.passphrase.length > 0 },
    enabled: entity.enabled,
    channelIds: entity.channelIds,
    overdueAfterMinutes: entity.overdueAfterMinutes,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
