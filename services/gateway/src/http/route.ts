import {
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  SetMetadata,
  Sse,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Route as Declared, RouteOutput } from '@cairn/contracts';
import { validate } from './validate.js';

export const ROUTE = 'cairn:route';

/** An event stream's handler returns its Observable; every other handler what its route declares. */
type Returns<R> = R extends { produces: 'text/event-stream' }
  ? unknown
  : RouteOutput<R> | Promise<RouteOutput<R>>;

const METHODS = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

/**
 * Binds a handler to its declaration in @cairn/contracts: the method, path and success status come
 * from it, the guard reads whether it is public, {@link Input} validates against it, and the
 * handler must return what it declares.
 */
export function Route<R extends Declared>(route: R) {
  return applyDecorators(
    route.produces === 'text/event-stream' ? Sse(route.path) : METHODS[route.method](route.path),
    HttpCode(route.status),
    SetMetadata(ROUTE, route),
  ) as <F extends (...args: never[]) => Returns<R>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ) => void;
}

/**
 * The request's params, query and body as the handler's route declares them, validated: a 400
 * naming the field otherwise.
 */
export const Input = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const route = Reflect.getMetadata(ROUTE, context.getHandler()) as Declared | undefined;
  if (!route) throw new Error(`${context.getClass().name}.${context.getHandler().name} is bound to no route`);
  const req = context.switchToHttp().getRequest<Request>();
  return {
    params: route.params ? validate(route.params, req.params) : undefined,
    query: route.query ? validate(route.query, req.query) : undefined,
    body: route.body ? validate(route.body, req.body) : undefined,
  };
});
