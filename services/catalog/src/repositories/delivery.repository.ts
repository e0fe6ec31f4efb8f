import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { DeliveryEntity } from '../entities/delivery.entity.js';

export type NewDelivery = Omit<DeliveryEntity, 'at' | 'channel'>;

@Injectable()
export class DeliveryRepository {
  private readonly table: Repository<DeliveryEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(DeliveryEntity);
  }

  /** Inserts unless that (report, channel, attempt) exists; returns the stored row either way. */
  async record(delivery: NewDelivery): Promise<{ entity: DeliveryEntity; created: boolean }> {
    const result = await this.table
      .createQueryBuilder()
      .insert()
      .values(delivery)
      .orIgnore()
      .returning(['id'])
      .execute();
    const created = result.raw.length > 0;
    const { reportKey, channelId, attempt } = delivery;
    return { entity: await this.table.findOneByOrFail({ reportKey, channelId, attempt }), created };
  }

  list(where: FindOptionsWhere<DeliveryEntity>, limit: number): Promise<DeliveryEntity[]> {
    return this.table.find({ where, order: { at: 'DESC', attempt: 'DESC' }, take: limit });
  }
}
