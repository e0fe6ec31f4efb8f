import { Injectable } from '@nestjs/common';
import { DataSource, In, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { ChannelEntity } from '../entities/channel.entity.js';

export type NewChannel = Omit<ChannelEntity, 'createdAt' | 'updatedAt'>;

@Injectable()
export class ChannelRepository {
  private readonly table: Repository<ChannelEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(ChannelEntity);
  }

  list(ids?: string[]): Promise<ChannelEntity[]> {
    return this.table.find({ where: ids ? { id: In(ids) } : {}, order: { name: 'ASC' } });
  }

  get(id: string): Promise<ChannelEntity | null> {
    return this.table.findOneBy({ id });
  }

  async create(channel: NewChannel): Promise<ChannelEntity> {
    // Settings are arbitrary JSON, which TypeORM's deep-partial type cannot express.
    await this.table.insert(channel as QueryDeepPartialEntity<ChannelEntity>);
    return this.table.findOneByOrFail({ id: channel.id });
  }

  async update(channel: ChannelEntity): Promise<ChannelEntity> {
    const { id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = channel;
    await this.table.update({ id }, fields as QueryDeepPartialEntity<ChannelEntity>);
    return this.table.findOneByOrFail({ id });
  }

  async remove(id: string): Promise<boolean> {
    return ((await this.table.delete({ id })).affected ?? 0) > 0;
  }
}
