// The attacks of issue 11 (items 9, 10, 11, 13) against the real gateway over real HTTP, with a
// stand-in catalog answering over a real NATS server. Other client addresses are other loopback
// addresses (127.0.0.0/8 is all this machine's), so "another address" is a real one.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectNats, type NatsConnection, type Run } from '@cairn/contracts';
import { LinkTickets, TICKET_TTL_SECONDS } from '../src/auth/link-tickets.js';
import { gatewayConfig } from '../src/config.js';
import { main, type RunningGateway } from '../src/main.js';
import { standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

const PASSWORD = 'correct horse battery';
const PROXY = '127.0.0.5';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => { error: { code: string; field?: string; message: string } } & Record<string, unknown>;
}

describe('gateway defences', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;
  let gateway: RunningGateway;
  const env = {
    CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
    CAIRN_ADMIN_PASSWORD: PASSWORD,
    CAIRN_TRUSTED_PROXIES: PROXY,
    CAIRN_LOG_LEVEL: 'fatal',
    CAIRN_METRICS_PORT: '0',
  };
  let lastAddress = 10;
  /** A loopback address no earlier test used: a client with a clean record. */
  const freshAddress = () => `127.0.${Math.floor(++lastAddress / 250)}.${(lastAddress % 250) + 1}`;

  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'gateway-security-test');
    catalog = standInCatalog(nc);
    gateway = await main({ ...env, NATS_URL: nats.url, CAIRN_PORT: String(await services.freePort()) });
  });

  after(async () => {
    await gateway?.close();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
  });

  /** One HTTP request from `from` (a loopback address), as a browser or script would send it. */
  const send = (
    method: string,
    path: string,
    {
      from = '127.0.0.1',
      body,
      headers = {},
    }: { from?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(`${gateway.url}${path}`, { method, localAddress: from, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  const json = { 'content-type': 'application/json' };
  const login = (password: string, from: string, headers: Record<string, string> = {}) =>
    send('POST', '/api/v1/auth/login', {
      from,
      body: JSON.stringify({ password }),
      headers: { ...json, ...headers },
    });
  const cookieOf = (answer: Answer) => String(answer.headers['set-cookie']?.[0]).split(';')[0]!;
  const signIn = async () => {
    const answer = await login(PASSWORD, freshAddress());
    assert.equal(answer.status, 200, answer.text);
    return { token: answer.json().accessToken as string, cookie: cookieOf(answer) };
  };
  const refresh = (cookie: string) => send('POST', '/api/v1/auth/refresh', { headers: { cookie } });
  const authed = (token: string) => ({ authorization: `Bearer ${token}` });
  const count = (answers: Answer[], status: number) =>
    answers.filter((answer) => answer.status === status).length;

  describe('sign-in limit (item 9)', () => {
    test('100 parallel wrong guesses from one address: 5 are checked, 95 refused; spoofed X-Forwarded-For changes nothing', async () => {
      const attacker = freshAddress();
      const [answers, health] = await Promise.all([
        Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            login(`guess ${i}`, attacker, { 'x-forwarded-for': `198.51.100.${i}` }),
          ),
        ),
        send('GET', '/api/v1/health'),
      ]);
      assert.equal(count(answers, 401), 5, 'five password checks');
      assert.equal(count(answers, 429), 95);
      assert.ok(
        answers
          .filter((answer) => answer.status === 429)
          .every((answer) => Number(answer.headers['retry-after']) > 0),
      );
      assert.equal(health.status, 200, 'the API still answers during the flood');
      // Naming another client in the header does not reset the count, nor does the right password.
      assert.equal((await login(PASSWORD, attacker, { 'x-forwarded-for': '203.0.113.9' })).status, 429);
      // The admin, elsewhere, is not locked out.
      assert.equal((await login(PASSWORD, freshAddress())).status, 200);
    });

    test('a flood from many addresses is capped at 2 checks running and 8 waiting: the rest get 503 at once, nobody is locked out', async () => {
      let release!: () => void;
      catalog.state.adminHeld = new Promise((resolve) => (release = resolve));
      const answers: Answer[] = [];
      let refused = 0;
      let allRefused!: () => void;
      const twentyRefused = new Promise<void>((resolve) => (allRefused = resolve));
      const flood = Array.from({ length: 30 }, (_, i) =>
        login(`guess ${i}`, freshAddress()).then((answer) => {
          answers.push(answer);
          if (answer.status === 503 && ++refused === 20) allRefused();
        }),
      );
      // Ten checks are in progress (held at reading the hash), twenty were turned away.
      await twentyRefused;
      assert.equal(answers.length, 20);
      assert.ok(answers.every((answer) => answer.status === 503 && answer.headers['retry-after'] === '1'));
      assert.equal((await send('GET', '/api/v1/health')).status, 200, 'the API still answers');
      catalog.state.adminHeld = null;
      release();
      await Promise.all(flood);
      assert.equal(count(answers, 401), 10);
      // Those turned away were not charged an attempt; the admin signs in.
      assert.equal((await login(PASSWORD, freshAddress())).status, 200);
    });

    test('behind a configured proxy, the forwarded address is limited, and a second one still signs in', async () => {
      const through = (password: string, client: string) =>
        login(password, PROXY, { 'x-forwarded-for': client });
      for (let i = 0; i < 5; i++) assert.equal((await through('wrong', '192.0.2.1')).status, 401);
      assert.equal((await through(PASSWORD, '192.0.2.1')).status, 429);
      assert.equal((await through(PASSWORD, '192.0.2.2')).status, 200);
    });

    test('trusted proxies and allowed origins are checked at start', () => {
      const key = { CAIRN_SECRET_KEY: env.CAIRN_SECRET_KEY };
      assert.deepEqual(
        gatewayConfig({ ...key, CAIRN_TRUSTED_PROXIES: '10.0.0.5, 172.16.0.0/12,::1' }).CAIRN_TRUSTED_PROXIES,
        ['10.0.0.5', '172.16.0.0/12', '::1'],
      );
      assert.deepEqual(gatewayConfig(key).CAIRN_TRUSTED_PROXIES, [], 'none by default');
      assert.throws(
        () => gatewayConfig({ ...key, CAIRN_TRUSTED_PROXIES: 'proxy.lan' }),
        /CAIRN_TRUSTED_PROXIES: must be IP/,
      );
      assert.throws(
        () => gatewayConfig({ ...key, CAIRN_TRUSTED_PROXIES: '10.0.0.0/33' }),
        /CAIRN_TRUSTED_PROXIES/,
      );
      assert.throws(
        () => gatewayConfig({ ...key, CAIRN_ALLOWED_ORIGINS: 'backup.example' }),
        /CAIRN_ALLOWED_ORIGINS/,
      );
    });

    test('sign-in takes JSON only, and from this site only when the browser names an origin', async () => {
      const from = freshAddress();
      const form = await send('POST', '/api/v1/auth/login', {
        from,
        body: `password=${encodeURIComponent(PASSWORD)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 415);
      assert.equal(form.json().error.code, 'unsupported-media-type');
      const text = await send('POST', '/api/v1/auth/login', {
        from,
        body: JSON.stringify({ password: PASSWORD }),
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(text.status, 415);
      const foreign = await login(PASSWORD, from, { origin: 'http://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.json().error.code, 'forbidden');
      const foreignRefresh = await send('POST', '/api/v1/auth/refresh', {
        headers: { origin: 'http://evil.example' },
      });
      assert.equal(foreignRefresh.status, 403, 'nor may a foreign page use the refresh cookie');
      assert.equal((await login(PASSWORD, from, { origin: new URL(gateway.url).origin })).status, 200);
    });
  });

  describe('sessions survive a restart (item 10)', () => {
    const restart = async () => {
      await gateway.close();
      gateway = await main({ ...env, NATS_URL: nats.url, CAIRN_PORT: new URL(gateway.url).port });
    };

    test('a logged-out refresh token stays refused after a restart', async () => {
      const { cookie } = await signIn();
      assert.equal((await send('POST', '/api/v1/auth/logout', { headers: { cookie } })).status, 204);
      await restart();
      const again = await refresh(cookie);
      assert.equal(again.status, 401);
      assert.equal(again.json().error.code, 'unauthorized');
    });

    test('a used refresh token presented again, after a restart, ends the whole session', async () => {
      const { cookie: first } = await signIn();
      const renewed = await refresh(first);
      assert.equal(renewed.status, 200);
      const second = cookieOf(renewed);
      await restart();
      assert.equal((await refresh(first)).status, 401, 'a refresh token is used once');
      assert.equal((await refresh(second)).status, 401, 'the reuse ended the session it belongs to');
    });

    test('an unused refresh token still works after a restart', async () => {
      const { cookie } = await signIn();
      await restart();
      assert.equal((await refresh(cookie)).status, 200);
    });
  });

  describe('link tickets instead of tokens in URLs (item 11)', () => {
    const run: Run = {
      id: randomUUID(),
      jobId: randomUUID(),
      kind: 'backup',
      status: 'succeeded',
      trigger: 'api',
      queuedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      stats: null,
      error: null,
    };
    const eventsPath = `/api/v1/runs/${run.id}/events`;
    const ticketFor = (token: string, purpose: string, path: string) =>
      send('POST', '/api/v1/tickets', {
        body: JSON.stringify({ purpose, path }),
        headers: { ...json, ...authed(token) },
      });

    before(() => catalog.state.runs.push(run));

    test('an access token in the query is refused, also where it used to work', async () => {
      const { token } = await signIn();
      const answer = await send('GET', `${eventsPath}?access_token=${token}`);
      assert.equal(answer.status, 401);
      assert.match(answer.json().error.message, /not accepted in URLs/);
    });

    test('a ticket opens its one link once; the response is not cached', async () => {
      const { token } = await signIn();
      const issued = await ticketFor(token, 'events', eventsPath);
      assert.equal(issued.status, 201);
      assert.equal(issued.headers['cache-control'], 'no-store');
      const { url, expiresIn } = issued.json() as unknown as { url: string; expiresIn: number };
      assert.equal(expiresIn, 60);
      const events = await send('GET', url);
      assert.equal(events.status, 200);
      assert.match(events.text, /event: status\n(.*\n)?data: .*"succeeded"/);
      assert.equal((await send('GET', url)).status, 401, 'used once');
    });

    test('a ticket opens no other link, and only a signed-in client gets one', async () => {
      const { token } = await signIn();
      const { ticket } = (await ticketFor(token, 'events', eventsPath)).json() as unknown as {
        ticket: string;
      };
      assert.equal((await send('GET', `/api/v1/runs/${randomUUID()}/events?ticket=${ticket}`)).status, 401);
      const { ticket: unused } = (await ticketFor(token, 'events', eventsPath)).json() as unknown as {
        ticket: string;
      };
      assert.equal((await send('GET', `/api/v1/activity?ticket=${unused}`)).status, 401, "not every run's");
      assert.equal((await ticketFor(token, 'activity', eventsPath)).status, 400);
      const download = `/api/v1/snapshots/${'a'.repeat(64)}/download?jobId=${run.jobId}&path=%2Fdocs%2Fa.txt`;
      const { ticket: fileTicket } = (await ticketFor(token, 'download', download)).json() as unknown as {
        ticket: string;
      };
      const otherFile = `/api/v1/snapshots/${'a'.repeat(64)}/download?jobId=${run.jobId}&path=%2Fetc%2Fshadow&ticket=${fileTicket}`;
      assert.equal((await send('GET', otherFile)).status, 401);
      assert.equal(
        (await send('GET', `/api/v1/jobs?ticket=${fileTicket}`)).status,
        401,
        'not an API key either',
      );
      const wrongPurpose = await ticketFor(token, 'download', eventsPath);
      assert.equal(wrongPurpose.status, 400);
      assert.equal(wrongPurpose.json().error.field, 'path');
      const anonymous = await send('POST', '/api/v1/tickets', {
        body: JSON.stringify({ purpose: 'events', path: eventsPath }),
        headers: json,
      });
      assert.equal(anonymous.status, 401);
    });

    test(`a ticket expires after ${TICKET_TTL_SECONDS} seconds`, () => {
      const tickets = new LinkTickets();
      const now = Date.now();
      const { ticket } = tickets.issue(eventsPath, now);
      assert.equal(tickets.redeem(ticket, eventsPath, now + TICKET_TTL_SECONDS * 1000 + 1), false);
      const fresh = tickets.issue(`${eventsPath}?b=2&a=1`, now);
      assert.equal(tickets.redeem(fresh.ticket, `${fresh.url}`, now + 1000), true, 'the returned url opens');
    });
  });

  describe('status codes and headers (item 13)', () => {
    let token: string;
    before(async () => ({ token } = await signIn()));
    const get = (path: string) => send('GET', path, { headers: authed(token) });
    const job = randomUUID();

    test('malformed ids, limits and NUL characters are 400s naming the field', async () => {
      const cases: [string, Promise<Answer>, string][] = [
        ['tree of a malformed snapshot id', get(`/api/v1/snapshots/abc/tree?jobId=${job}`), 'snapshotId'],
        [
          'download of a malformed snapshot id',
          get(`/api/v1/snapshots/abc/download?jobId=${job}&path=/x`),
          'snapshotId',
        ],
        ['limit=-1', get(`/api/v1/jobs/${job}/runs?limit=-1`), 'limit'],
        ['limit=100000', get(`/api/v1/jobs/${job}/runs?limit=100000`), 'limit'],
        [
          'a NUL in a tree path',
          get(`/api/v1/snapshots/${'a'.repeat(64)}/tree?jobId=${job}&path=/a%00b`),
          'path',
        ],
        [
          'a NUL in a restore target',
          send('POST', '/api/v1/restores', {
            body: JSON.stringify({ jobId: job, snapshotId: 'b'.repeat(64), target: 'a\u0000b' }),
            headers: { ...json, ...authed(token) },
          }),
          'target',
        ],
      ];
      for (const [what, answer, field] of cases) {
        const { status, json: body, text } = await answer;
        assert.equal(status, 400, `${what}: ${text}`);
        assert.equal(body().error.field, field, what);
      }
    });

    test('events of an unknown run are a 404, not an empty stream', async () => {
      const answer = await get(`/api/v1/runs/${randomUUID()}/events`);
      assert.equal(answer.status, 404);
      assert.equal(answer.json().error.code, 'not-found');
    });

    test('no X-Powered-By; token responses are not cached', async () => {
      for (const answer of [await get('/api/v1/jobs'), await send('GET', '/api/v1/health')])
        assert.equal(answer.headers['x-powered-by'], undefined);
      const signedIn = await login(PASSWORD, freshAddress());
      assert.equal(signedIn.headers['cache-control'], 'no-store');
      const renewed = await refresh(cookieOf(signedIn));
      assert.equal(renewed.headers['cache-control'], 'no-store');
    });

    test('the refresh cookie is Secure when the browser came over HTTPS through the trusted proxy', async () => {
      const plain = await login(PASSWORD, freshAddress(), { 'x-forwarded-proto': 'https' });
      assert.doesNotMatch(
        String(plain.headers['set-cookie']),
        /Secure/i,
        'an untrusted peer cannot claim HTTPS',
      );
      const proxied = await login(PASSWORD, PROXY, {
        'x-forwarded-for': '192.0.2.50',
        'x-forwarded-proto': 'https',
      });
      assert.equal(proxied.status, 200);
      assert.match(String(proxied.headers['set-cookie']), /; Secure/i);
    });
  });
});
