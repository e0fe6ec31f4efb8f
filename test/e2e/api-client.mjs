// The end-to-end tests' REST client: requests built from the route declarations (@cairn/contracts),
// every success checked against its declared response, and every response body kept, so a test can
// assert that no secret ever left the server.
import { API, readReply, send, serverSentEvents } from '@cairn/contracts';

export class ApiClient {
  token;
  bodies = [];

  constructor(url) {
    this.url = url;
  }

  /** `{ status, json }` of a request to `route` with `{ params, query, body }`; `expect`: the status it must have. */
  async call(route, input = {}, { token = this.token, expect } = {}) {
    const response = await send(this.url, route, input, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await response.clone().text();
    this.bodies.push(text);
    if (expect !== undefined && response.status !== expect)
      throw new Error(`${route.method} ${route.path}: expected ${expect}, got ${response.status} ${text}`);
    if (!response.ok) return { status: response.status, json: text ? JSON.parse(text) : undefined };
    return { status: response.status, json: await readReply(route, response) };
  }

  async login(password) {
    const { json } = await this.call(API.auth.login, { body: { password } }, { expect: 200 });
    this.token = json.accessToken;
  }

  /** Follows a run's server-sent events until it ends; returns every event (each also to `onEvent`). */
  async follow(runId, timeoutMs = 180_000, onEvent = () => {}) {
    const response = await send(
      this.url,
      API.runs.events,
      { params: { id: runId } },
      { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(timeoutMs) },
    );
    const events = [];
    for await (const event of serverSentEvents(response.body)) {
      events.push(event);
      onEvent(event);
    }
    this.bodies.push(JSON.stringify(events));
    return events;
  }
}
