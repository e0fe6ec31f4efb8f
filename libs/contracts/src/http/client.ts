// The one client of the REST API, built from the route declarations: the CLI's server commands and
// the end-to-end tests call the gateway through it, each adding its own sign-in. fetch only, so it
// runs in Node and in browsers.
import { urlOf, type Route, type RouteInput, type RouteOutput } from './route.js';

/** A refusal of the gateway: its status and `{ error: { code, message, field? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The gateway answered a success that is not what its route declares. */
export class ReplyMismatch extends Error {}

/** Sends a request to `route` at `server`: the path with its params, the query, the body as JSON. */
export function send<R extends Route>(
  server: string,
  route: R,
  input: RouteInput<R>,
  init: RequestInit = {},
): Promise<Response> {
  const body = (input as { body?: unknown }).body;
  return fetch(new URL(urlOf(route, input), server), {
    ...init,
    method: route.method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** The reply to a request to `route`: validated against its declaration, or an ApiError. */
export async function readReply<R extends Route>(route: R, response: Response): Promise<RouteOutput<R>> {
  const text = await response.text();
  if (!response.ok) {
    const { error } = parseJson(text) as { error?: { code?: string; message?: string; field?: string } };
    throw new ApiError(
      response.status,
      error?.code ?? 'http',
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.field,
    );
  }
  if (!route.response) return undefined as RouteOutput<R>;
  const result = route.response.safeParse(parseJson(text));
  if (result.success) return result.data as RouteOutput<R>;
  const issue = result.error.issues[0]!;
  throw new ReplyMismatch(
    `${route.method} ${route.path} answered what it does not declare: ${issue.path.join('.') || 'body'}: ${issue.message}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
