import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { SnapshotEntity } from '../entities/snapshot.entity.js';

export type NewSnapshot = Omit<SnapshotEntity, 'job'>;

@Injectable()
export class SnapshotRepository {
  private readonly table: Repository<SnapshotEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.table = dataSource.getRepository(SnapshotEntity);
  }

  listForJob(jobId: string): Promise<SnapshotEntity[]> {
    return this.table.find({ where: { jobId }, order: { time: 'DESC', id: 'ASC' } });
  }

  /** Replaces a job's snapshot records in one transaction: readers see the old set or the new one. */
  async replaceForJob(jobId: string, snapshots: NewSnapshot[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(SnapshotEntity, { jobId });
      if (snapshots.length > 0) await manager.insert(SnapshotEntity, snapshots);
    });
  }
}
