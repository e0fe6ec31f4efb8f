import { CairnError } from '@cairn/engine';
import {
  API,
  ApiError,
  readReply,
  send,
  type Route,
  type RouteInput,
  type RouteOutput,
} from '@cairn/contracts';
import { loadSession, saveSession, type ServerSession } from './session.js';

/** The gateway's REST API, with the stored session, refreshing the access token when it expires. */
export class ServerClient {
  private constructor(private session: ServerSession) {}

  static fromSession(url: string | undefined): ServerClient {
    const session = loadSession();
    if (!session) throw new CairnError('usage', 'not signed in: run "cairn server login" first');
    if (url && url !== session.url)
      throw new CairnError(
        'usage',
        `signed in to ${session.url}, not ${url}: run "cairn server login --url ${url}"`,
      );
    return new ServerClient(session);
  }

  /** Signs in and stores the session. */
  static async login(url: string, password: string): Promise<ServerClient> {
    const response = await reach(url, API.auth.login, { body: { password } });
    const { accessToken } = await reply(url, API.auth.login, response);
    const session = { url, accessToken, refreshCookie: refreshCookieOf(response) };
    saveSession(session);
    return new ServerClient(session);
  }

  get url(): string {
    return this.session.url;
  }

  /** A request to a declared route, and its reply as the route declares it. */
  async call<R extends Route>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
    return reply(this.session.url, route, await this.fetch(route, input));
  }

  /** A response body to read as a stream (server-sent events). */
  async stream<R extends Route>(route: R, input: RouteInput<R>): Promise<ReadableStream<Uint8Array>> {
    const response = await this.fetch(route, input, { accept: 'text/event-stream' });
    if (!response.ok || !response.body) await reply(this.session.url, route, response);
    return response.body!;
  }

  async logout(): Promise<void> {
    await reach(this.session.url, API.auth.logout, {}, { cookie: this.session.refreshCookie }).catch(
      () => undefined,
    );
  }

  private async fetch<R extends Route>(
    route: R,
    input: RouteInput<R>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const attempt = () =>
      reach(this.session.url, route, input, {
        ...headers,
        authorization: `Bearer ${this.session.accessToken}`,
      });
    const response = await attempt();
    if (response.status !== 401) return response;
    await this.refresh();
    return attempt();
  }

  private async refresh(): Promise<void> {
    const response = await reach(
      this.session.url,
      API.auth.refresh,
      {},
      { cookie: this.session.refreshCookie },
    );
    if (!response.ok)
      throw new CairnError('usage', 'the server session has expired: run "cairn server login" again');
    const { accessToken } = await reply(this.session.url, API.auth.refresh, response);
    this.session = {
      ...this.session,
      accessToken,
      refreshCookie: refreshCookieOf(response) || this.session.refreshCookie,
    };
    saveSession(this.session);
  }
}

async function reach<R extends Route>(
  url: string,
  route: R,
  input: RouteInput<R>,
  headers: Record<string, string> = {},
): Promise<Response> {
  try {
    return await send(url, route, input, { headers });
  } catch (error) {
    throw new CairnError('backend', `cannot reach the Cairn server at ${url} (${networkReason(error)})`);
  }
}

/** fetch hides the reason in `cause`, sometimes in an AggregateError of several addresses. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } })
    .cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

/** The reply as the route declares it; a refusal or a reply of another shape as one line. */
async function reply<R extends Route>(url: string, route: R, response: Response): Promise<RouteOutput<R>> {
  try {
    return await readReply(route, response);
  } catch (error) {
    if (error instanceof ApiError)
      throw new CairnError(error.status === 401 ? 'wrong-password' : 'usage', `${url}: ${error.message}`);
    throw new CairnError('backend', `${url}: ${(error as Error).message}`);
  }
}

function refreshCookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
