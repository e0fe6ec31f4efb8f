import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { AdminEntity } from '../entities/admin.entity.js';

const ADMIN_ID = 1;

@Injectable()
export class AdminRepository {
  private readonly table: Repository<AdminEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(AdminEntity);
  }

  async getPasswordHash(): Promise<string | null> {
    return (await this.table.findOneBy({ id: ADMIN_ID }))?.passwordHash ?? null;
  }

  async setPasswordHash(passwordHash: string): Promise<void> {
    await this.table.upsert({ id: ADMIN_ID, passwordHash }, ['id']);
  }
}
