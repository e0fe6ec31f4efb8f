import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Delivery, DeliveryInput } from '@cairn/contracts';
import { toDelivery } from '../mappers/delivery.mapper.js';
import { DeliveryRepository } from '../repositories/delivery.repository.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';

@Injectable()
export class DeliveryService {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async record(input: DeliveryInput): Promise<{ delivery: Delivery; created: boolean }> {
    const { entity, created } = await translateConstraints(
      this.deliveries.record({ id: randomUUID(), ...input }),
      { deliveries_channel_id_fkey: () => errors.unknownReference('channelId', 'channel', input.channelId) },
    );
    return { delivery: toDelivery(entity), created };
  }

  async list(filter: { channelId?: string; reportKey?: string; limit: number }): Promise<Delivery[]> {
    const where = {
      ...(filter.channelId ? { channelId: filter.channelId } : {}),
      ...(filter.reportKey ? { reportKey: filter.reportKey } : {}),
    };
    return (await this.deliveries.list(where, filter.limit)).map(toDelivery);
  }
}
