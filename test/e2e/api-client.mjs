// A REST client for the end-to-end tests that keeps every response body, so a test can assert
// that no secret ever left the server.
export class ApiClient {
  token;
  bodies = [];

  constructor(url) {
    this.url = url;
  }

  async call(method, path, body, { token = this.token, expect } = {}) {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    this.bodies.push(text);
    const json = text ? JSON.parse(text) : undefined;
    if (expect !== undefined && response.status !== expect) {
      throw new Error(`${method} ${path}: expected ${expect}, got ${response.status} ${text}`);
    }
    return { status: response.status, json };
  }

  async login(password) {
    const { json } = await this.call('POST', '/auth/login', { password }, { expect: 200 });
    this.token = json.accessToken;
  }

  /** Follows a run's server-sent events until it ends; returns every event (each also to `onEvent`). */
  async follow(runId, timeoutMs = 180_000, onEvent = () => {}) {
    const response = await fetch(`${this.url}/api/v1/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const events = [];
    let buffer = '';
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) {
          events.push({ type, data: JSON.parse(data) });
          onEvent(events.at(-1));
        }
      }
    }
    this.bodies.push(JSON.stringify(events));
    return events;
  }
}
