import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { DestinationEntity } from '../entities/destination.entity.js';

export type NewDestination = Omit<DestinationEntity, 'createdAt' | 'updatedAt'>;

@Injectable()
export class DestinationRepository {
  private readonly table: Repository<DestinationEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(DestinationEntity);
  }

  list(): Promise<DestinationEntity[]> {
    return this.table.find({ order: { name: 'ASC' } });
  }

  get(id: string): Promise<DestinationEntity | null> {
    return this.table.findOneBy({ id });
  }

  async create(destination: NewDestination): Promise<DestinationEntity> {
    await this.table.insert(destination);
    return this.table.findOneByOrFail({ id: destination.id });
  }

  async update(destination: DestinationEntity): Promise<DestinationEntity> {
    const { id, name, url, options, secrets } = destination;
    await this.table.update({ id }, { name, url, options, secrets });
    return this.table.findOneByOrFail({ id });
  }

  /** Whether a row was deleted. */
  async remove(id: string): Promise<boolean> {
    return ((await this.table.delete({ id })).affected ?? 0) > 0;
  }
}
