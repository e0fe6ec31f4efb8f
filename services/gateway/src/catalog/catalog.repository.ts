import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { request, type Endpoint, type NatsConnection } from '@cairn/contracts';
import { validate } from '../http/validate.js';
import { NATS } from '../system/tokens.js';

/**
 * Every call the gateway makes to another service is a typed NATS request, here. What a request
 * carries from the client is checked against the endpoint's schema first: 400 naming the field.
 */
@Injectable()
export class ServiceClient {
  constructor(@Inject(NATS) private readonly nc: NatsConnection) {}

  call<E extends Endpoint>(
    endpoint: E,
    payload: z.input<E['request']>,
    timeoutMs?: number,
  ): Promise<z.output<E['response']>> {
    validate(endpoint.request, payload);
    return request(this.nc, endpoint, payload, timeoutMs);
  }
}
