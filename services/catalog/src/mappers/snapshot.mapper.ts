import type { SnapshotRecord } from '@cairn/contracts';
import type { SnapshotEntity } from '../entities/snapshot.entity.js';

export function toSnapshotRecord(entity: SnapshotEntity): SnapshotRecord {
  return {
    id: entity.id,
    jobId: entity.jobId,
    time: entity.time.toISOString(),
    host: entity.host,
    paths: entity.paths,
    tags: entity.tags,
    summary: entity.summary,
  };
}
