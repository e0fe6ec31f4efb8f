import { Injectable } from '@nestjs/common';
import { DataSource, In, type QueryDeepPartialEntity, type Repository } from 'typeorm';

import { SettingEntity } from '../entities/setting.entity.js';

@Injectable()
export class SettingRepository {
  private readonly table: Repository<SettingEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.table = dataSource.getRepository(SettingEntity);
  }

  list(): Promise<SettingEntity[]> {
    return this.table.find({ order: { key: 'ASC' } });
  }

  /** Upserts `values` and deletes `removed`, in one transaction. */
  async write(values: Record<string, unknown>, removed: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Values are arbitrary JSON, which TypeORM's deep-partial type cannot express.
      const rows = Object.entries(values).map(([key, value]) => ({
        key,
        value,
      })) as QueryDeepPartialEntity<SettingEntity>[];
      if (rows.length > 0) await manager.upsert(SettingEntity, rows, ['key']);
      if (removed.length > 0) await manager.delete(SettingEntity, { key: In(removed) });
    });
  }
}
