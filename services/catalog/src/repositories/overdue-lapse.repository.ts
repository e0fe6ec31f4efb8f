import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { OverdueLapseEntity } from '../entities/overdue-lapse.entity.js';

export interface OverdueLapse {
  jobId: string;
  since: Date;
  thresholdMinutes: number;
}

@Injectable()
export class OverdueLapseRepository {
  private readonly table: Repository<OverdueLapseEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(OverdueLapseEntity);
  }

  list(): Promise<OverdueLapse[]> {
    return this.table.find({
      select: { jobId: true, since: true, thresholdMinutes: true },
      order: { jobId: 'ASC' },
    });
  }

  async upsert(lapse: OverdueLapse): Promise<void> {
    await this.table.upsert(lapse, ['jobId']);
  }

  async remove(jobId: string): Promise<boolean> {
    return Boolean((await this.table.delete({ jobId })).affected);
  }
}
