// A REST route of the gateway, declared once: the gateway binds its handler to it, the OpenAPI
// document is generated from it, and every client builds its requests from it. Browser-safe.
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** Express style: `/api/v1/jobs/:id`. */
  path: `/api/${string}`;
  summary: string;
  /** Reachable without an access token (sign-in, refresh, health, this description). */
  public: boolean;
  /** Also opens with a one-time `?ticket=` instead of a token: a link the browser opens itself. */
  link: boolean;
  /** The status of a success. */
  status: 200 | 201 | 202 | 204;
  /** What a success carries: JSON (validated by `response`), server-sent events or raw bytes. */
  produces: 'application/json' | 'text/event-stream' | 'application/octet-stream';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
}

type Declared = Pick<Route, 'method' | 'path' | 'summary'> & Partial<Route>;

/** A route with the defaults filled in: needs a token, JSON, 200 (201 for a POST, like NestJS). */
export function route<const D extends Declared>(declared: D) {
  return {
    public: false,
    link: false,
    status: declared.method === 'POST' ? 201 : 200,
    produces: 'application/json',
    ...declared,
  } as Route & D;
}

type Part<R, K extends 'params' | 'query' | 'body', Side extends 'in' | 'out'> = R extends {
  [key in K]: infer S extends z.ZodType;
}
  ? Side extends 'out'
    ? { [key in K]: z.output<S> }
    : // A part that may be left out entirely (every field optional) is optional to send.
      Record<string, never> extends z.input<S>
      ? { [key in K]?: z.input<S> }
      : { [key in K]: z.input<S> }
  : { [key in K]?: undefined };

/** What a client sends: the path parameters, the query and the body the route declares. */
export type RouteInput<R> = Part<R, 'params', 'in'> & Part<R, 'query', 'in'> & Part<R, 'body', 'in'>;
/** What a handler gets: the same, validated (defaults filled in). */
export type ValidInput<R> = Part<R, 'params', 'out'> & Part<R, 'query', 'out'> & Part<R, 'body', 'out'>;
/** What a success answers. */
export type RouteOutput<R> = R extends { response: infer S extends z.ZodType } ? z.output<S> : void;

/** The route's path with `params` filled in, each encoded. */
export function pathOf(route: Route, params: Record<string, unknown> = {}): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${route.method} ${route.path}: no value for :${name}`);
    return encodeURIComponent(String(params[name]));
  });
}

/** The path and query string of a request to `route`. */
export function urlOf(route: Route, input: { params?: object; query?: object }): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {}))
    if (value !== undefined) query.set(name, String(value));
  const search = query.size > 0 ? `?${query}` : '';
  return `${pathOf(route, input.params as Record<string, unknown>)}${search}`;
}

/** Whether a request path (without its query) is one of `route`'s. */
export function matchesPath(route: Route, path: string): boolean {
  const pattern = route.path.replace(/:\w+/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
