// The built web app as the gateway serves it: the build's brotli and gzip copies when the browser
// takes them (with Vary), the plain file otherwise, client-side routes answered by index.html.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { connectNats, type NatsConnection } from '@cairn/contracts';
import { main, type RunningGateway } from '../src/main.js';
import { standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const services = (await import(root('test/support/services.mjs'))) as Services;
const { precompress } = (await import(root('frontend/scripts/precompress.mjs'))) as {
  precompress(dir: string): { files: number };
};

/** A raw GET: fetch would ask for compression itself and undo it. */
function raw(url: string, acceptEncoding?: string) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

describe('the web app, precompressed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-web-'));
  const script = Buffer.from(`console.log(${JSON.stringify('x'.repeat(100))});\n`.repeat(200));
  const index = Buffer.from(`<!doctype html><html><body>${'<p>Cairn</p>'.repeat(200)}</body></html>`);
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;
  let gateway: RunningGateway;

  before(async () => {
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'main-ABCDEFGH.js'), script);
    writeFileSync(join(dir, 'index.html'), index);
    writeFileSync(join(dir, 'media', 'font.woff2'), randomBytes(4096));
    assert.equal(precompress(dir).files, 2, 'the script and the page; a font is compressed already');
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'web-app-test');
    catalog = standInCatalog(nc);
    gateway = await main({
      NATS_URL: nats.url,
      CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
      CAIRN_ADMIN_PASSWORD: 'correct horse battery',
      CAIRN_UI_DIR: dir,
      CAIRN_PORT: String(await services.freePort()),
      CAIRN_LOG_LEVEL: 'fatal',
    });
  });

  after(async () => {
    await gateway?.close();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('brotli when the browser takes it, gzip when only that, the plain file otherwise', async () => {
    const url = `${gateway.url}/main-ABCDEFGH.js`;
    const br = await raw(url, 'gzip, deflate, br, zstd');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), script);
    assert.ok(br.body.length < script.length / 10, `${br.body.length} bytes for ${script.length}`);
    const gzip = await raw(url, 'gzip;q=1, br;q=0');
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), script);
    const plain = await raw(url);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body, script);
    for (const response of [br, gzip, plain]) {
      assert.equal(response.status, 200);
      assert.match(String(response.headers.vary), /Accept-Encoding/i);
      assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    }
  });

  test('a client-side route gets index.html, compressed too, never cached', async () => {
    const page = await raw(`${gateway.url}/jobs/new`, 'br');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-encoding'], 'br');
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.deepEqual(brotliDecompressSync(page.body), index);
  });

  test('a file without copies is sent as it is; a path out of the folder is not served', async () => {
    const font = await raw(`${gateway.url}/media/font.woff2`, 'br');
    assert.equal(font.status, 200);
    assert.equal(font.headers['content-encoding'], undefined);
    assert.equal(font.body.length, 4096);
    const escape = await raw(`${gateway.url}/%2e%2e/%2e%2e/etc/passwd`, 'br');
    assert.ok(!escape.body.toString().includes('root:'), 'no file outside the app');
  });
});
