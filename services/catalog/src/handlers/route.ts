import type { z } from 'zod';
import type { Endpoint } from '@cairn/contracts';

/** One endpoint and the service call that answers it. */
export interface Route {
  endpoint: Endpoint;
  handle: (request: unknown) => Promise<unknown>;
}

/** Type-checks the handler against its endpoint's schemas. */
export function route<E extends Endpoint>(
  endpoint: E,
  handle: (request: z.output<E['request']>) => Promise<z.input<E['response']>>,
): Route {
  // Sound: serve() validates each request against this same endpoint before calling the handler.
  return { endpoint, handle: handle as Route['handle'] };
}

/** A group of routes (one class per entity, like controllers). */
export interface RouteGroup {
  routes(): Route[];
}
