// HTTPS to the Kubernetes API: JSON requests and watch streams, authenticated with a bearer token
// read from its file at every request (projected service account tokens are rotated), and patient
// with an API server that says "429 Too Many Requests".
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cairn/contracts';

/** A refusal from the API server: its HTTP status and the reason of its Status object. */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface KubeConnection {
  server: string;
  tokenFile: string;
  /** The API server's CA bundle; absent: the system's CAs. */
  ca?: Buffer;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

const THROTTLE_MAX_WAIT_MS = 30_000;

export class KubeClient {
  constructor(
    private readonly connection: KubeConnection,
    private readonly logger: Logger,
  ) {}

  /**
   * One request; resolves to the parsed body of a 2xx answer, rejects with a KubeError otherwise.
   * A 429 is waited out (its Retry-After, else doubling from 1 s) and the request sent again until
   * `signal` aborts.
   */
  async send<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.open(method, path, body, signal);
      const text = await readAll(response);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return (text ? JSON.parse(text) : undefined) as T;
      if (status === 429) {
        const waitMs = retryAfterMs(response.headers['retry-after'], attempt);
        this.logger.warn({ method, path, waitMs }, 'the API server is throttling (429); waiting');
        await sleep(waitMs, undefined, { signal });
        continue;
      }
      throw kubeError(status, text, `${method} ${path}`);
    }
  }

  /**
   * Streams a watch: calls `onEvent` for each event until the server ends the stream. An ERROR
   * event (such as 410 Gone: the resource version is too old) rejects with its KubeError.
   */
  async watch<T>(path: string, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    const response = await this.open('GET', path, undefined, signal);
    const status = response.statusCode ?? 0;
    if (status !== 200) throw kubeError(status, await readAll(response), `watch ${path}`);
    response.setEncoding('utf8');
    let pending = '';
    try {
      for await (const chunk of response as AsyncIterable<string>) {
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, end).trim();
          pending = pending.slice(end + 1);
          if (!line) continue;
          const event = JSON.parse(line) as WatchEvent<T>;
          if (event.type === 'ERROR') throw statusError(event.object, `watch ${path}`);
          onEvent(event);
        }
      }
    } catch (error) {
      // An abort while streaming is the controller stopping, not a failure.
      if (signal.aborted) return;
      throw error;
    }
  }

  private open(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(path, this.connection.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const options: RequestOptions = {
      method,
      ...(this.connection.ca ? { ca: this.connection.ca } : {}),
      ...(signal ? { signal } : {}),
      headers: {
        authorization: `Bearer ${readFileSync(this.connection.tokenFile, 'utf8').trim()}`,
        accept: 'application/json',
        // Explicit: Node sends a DELETE's body with neither a length nor chunked encoding otherwise.
        ...(payload !== undefined
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {}),
      },
    };
    return new Promise((resolve, reject) => {
      const req = request(url, options, resolve);
      req.once('error', reject);
      req.end(payload);
    });
  }
}

function retryAfterMs(header: string | string[] | undefined, attempt: number): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  const waitMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000 * 2 ** attempt;
  return Math.min(waitMs, THROTTLE_MAX_WAIT_MS);
}

async function readAll(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response as AsyncIterable<string>) text += chunk;
  return text;
}

function kubeError(status: number, text: string, what: string): KubeError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return statusError({ code: status, ...(body as object) }, what);
}

/** A metav1.Status as an error: "POST /api/v1/…: 409 AlreadyExists: pods "x" already exists". */
function statusError(status: unknown, what: string): KubeError {
  const {
    code = 0,
    reason = 'Unknown',
    message = '',
  } = status as {
    code?: number;
    reason?: string;
    message?: string;
  };
  return new KubeError(code, reason, `${what}: ${code} ${reason}: ${message}`);
}
