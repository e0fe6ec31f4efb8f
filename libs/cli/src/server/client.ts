import { CairnError } from '@cairn/engine';
import { loadSession, saveSession, type ServerSession } from './session.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8200';

interface ApiError {
  error?: { code?: string; message?: string; field?: string };
}

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
    const response = await send(url, '/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ password }),
    });
    const { accessToken } = (await readJson(response, url)) as { accessToken: string };
    const session = { url, accessToken, refreshCookie: refreshCookieOf(response) };
    saveSession(session);
    return new ServerClient(session);
  }

  get url(): string {
    return this.session.url;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await readJson(await this.fetch(path, init), this.session.url)) as T;
  }

  /** A response body to read as a stream (server-sent events). */
  async stream(path: string): Promise<ReadableStream<Uint8Array>> {
    const response = await this.fetch(path, { headers: { accept: 'text/event-stream' } });
    if (!response.ok || !response.body) await readJson(response, this.session.url);
    return response.body!;
  }

  async logout(): Promise<void> {
    await send(this.session.url, '/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: this.session.refreshCookie },
    }).catch(() => undefined);
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    const attempt = () =>
      send(this.session.url, path, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${this.session.accessToken}`,
        },
      });
    const response = await attempt();
    if (response.status !== 401) return response;
    await this.refresh();
    return attempt();
  }

  private async refresh(): Promise<void> {
    const response = await send(this.session.url, '/api/v1/auth/refresh', {
      method: 'POST',
      headers: { cookie: this.session.refreshCookie },
    });
    if (!response.ok)
      throw new CairnError('usage', 'the server session has expired: run "cairn server login" again');
    const { accessToken } = (await response.json()) as { accessToken: string };
    this.session = {
      ...this.session,
      accessToken,
      refreshCookie: refreshCookieOf(response) || this.session.refreshCookie,
    };
    saveSession(this.session);
  }
}

async function send(url: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(path, url), {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });
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

async function readJson(response: Response, url: string): Promise<unknown> {
  const body = (await response.json().catch(() => ({}))) as ApiError;
  if (response.ok) return body;
  const message = body.error?.message ?? `${response.status} ${response.statusText}`;
  throw new CairnError(response.status === 401 ? 'wrong-password' : 'usage', `${url}: ${message}`);
}

function refreshCookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
