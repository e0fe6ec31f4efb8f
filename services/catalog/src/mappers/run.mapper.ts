import type { Run } from '@cairn/contracts';
import type { RunEntity } from '../entities/run.entity.js';

export function toRun(entity: RunEntity): Run {
  return {
    id: entity.id,
    jobId: entity.jobId,
    kind: entity.kind,
    status: entity.status,
    trigger: entity.trigger,
    queuedAt: entity.queuedAt.toISOString(),
    startedAt: entity.startedAt?.toISOString() ?? null,
    finishedAt: entity.finishedAt?.toISOString() ?? null,
    stats: entity.stats,
    error: entity.error,
  };
}
