import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { request, type Endpoint, type NatsConnection } from '@cairn/contracts';
import { NATS } from '../tokens.js';

/** The catalog, over NATS request/reply: channels, deliveries, jobs, runs, overdue lapses. */
@Injectable()
export class CatalogRepository {
  constructor(@Inject(NATS) private readonly nc: NatsConnection) {}

  call<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>> {
    return request(this.nc, endpoint, payload);
  }
}
