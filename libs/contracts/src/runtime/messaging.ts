import type { z } from 'zod';
import type { Endpoint } from '../endpoints.js';
import type { Logger } from './logger.js';
import { request, serve, type NatsConnection, type NatsService } from './nats.js';

/**
 * A service's request/reply on NATS: it asks the endpoints of others and answers its own, its replicas
 * sharing the load in one queue group named after the service. Each service's NATS repository extends
 * it with what else that service says (events, streams).
 */
export class ServiceMessaging {
  constructor(
    protected readonly nc: NatsConnection,
    protected readonly logger: Logger,
    private readonly queue: NatsService,
  ) {}

  request<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>> {
    return request(this.nc, endpoint, payload);
  }

  serve<E extends Endpoint>(
    endpoint: E,
    handler: (payload: z.output<E['request']>) => Promise<z.input<E['response']>>,
  ): { unsubscribe(): void } {
    return serve(this.nc, endpoint, handler, { queue: this.queue, logger: this.logger });
  }
}
