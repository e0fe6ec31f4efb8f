import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { backup, check, openBackend, Repository, type Backend, type BackendOptions } from '../src/index.js';
import { LazyBackend } from '../src/backends/lazy.js';
import { S3Backend } from '../src/backends/s3.js';
import { mapLimit } from '../src/util/limiter.js';
import { backendContract, namedBytes, roundTrip } from './backend-contract.js';
import { S3_SERVERS, type S3Server } from './backends-under-test.js';
import { FAST_KDF, fsTree, MiB, PASSWORD, rejectsWithKind, scratchDir } from './helpers.js';

type ProxySupport = typeof import('../../../test/support/fault-proxy.mjs');
const { startFaultProxy } = (await import(
  fileURLToPath(new URL('../../../../test/support/fault-proxy.mjs', import.meta.url))
)) as ProxySupport;

/** Quick retries and timeouts: the faults below must not make the suite slow. */
const FAST: BackendOptions = { timeoutMs: 2000, retry: { attempts: 8, baseDelayMs: 20, maxDelayMs: 200 } };

for (const kind of S3_SERVERS) {
  let server: S3Server;
  before(async () => {
    server = await kind.start();
  });
  after(() => server?.stop());

  const open = (url: string, options: BackendOptions = {}): Backend =>
    openBackend(url, { env: server.env, ...FAST, ...options });

  backendContract(`S3 on ${kind.name}`, async () => open(server.url('contract')));

  describe(`S3 backend on ${kind.name}`, () => {
    test('objects above the part size go up in parts and come back whole and in ranges', async () => {
      const backend = open(server.url('multipart'), { s3: { partSize: 5 * MiB } });
      try {
        const file = namedBytes(12 * MiB + 77);
        await backend.save('pack', file.name, file.bytes);
        assert.ok((await backend.load('pack', file.name)).equals(file.bytes));
        const across = await backend.load('pack', file.name, { offset: 5 * MiB - 100, length: 200 });
        assert.ok(across.equals(file.bytes.subarray(5 * MiB - 100, 5 * MiB + 100)));
        assert.equal((await backend.stat('pack', file.name)).size, file.bytes.length);
      } finally {
        await backend.close();
      }
    });

    test('a part size below S3 minimum is refused', async () => {
      await assert.rejects(open(server.url(), { s3: { partSize: MiB } }).list('index'), /at least 5 MiB/);
    });

    test('listing pages through more than 1000 objects', async () => {
      const backend = open(server.url('paging'), { connections: 16 });
      try {
        const files = Array.from({ length: 1050 }, () => namedBytes(16));
        await mapLimit(files, 16, (file) => backend.save('index', file.name, file.bytes));
        const listed = await backend.list('index');
        assert.equal(listed.length, 1050);
        assert.deepEqual(new Set(listed.map((f) => f.name)), new Set(files.map((f) => f.name)));
        const sample = files[1042]!;
        assert.ok((await backend.load('index', sample.name)).equals(sample.bytes));
      } finally {
        await backend.close();
      }
    });

    test('a missing bucket: init says so, --s3-create-bucket creates it, open says it is not there', async () => {
      const url = server.missingBucketUrl();
      const refused = await rejectsWithKind(
        Repository.init(open(url), PASSWORD, { kdf: FAST_KDF }),
        'backend',
      );
      assert.match(refused.message, /bucket "missing-[0-9a-f]+" does not exist .*--s3-create-bucket/);
      await rejectsWithKind(Repository.open(open(url), PASSWORD), 'repository-not-found');
      const repo = await Repository.init(open(url, { s3: { createBucket: true } }), PASSWORD, {
        kdf: FAST_KDF,
      });
      await repo.close();
      const reopened = await Repository.open(open(url), PASSWORD);
      assert.equal(reopened.config.id, repo.config.id);
      await reopened.close();
    });

    test('wrong credentials fail fast with a clear message that holds no secret', async () => {
      const env = { AWS_ACCESS_KEY_ID: 'NOBODY', AWS_SECRET_ACCESS_KEY: 'very-secret-value' };
      const backend = open(server.url(), {
        env,
        retry: { attempts: 5, baseDelayMs: 2000, maxDelayMs: 2000 },
      });
      const started = Date.now();
      const error = await rejectsWithKind(backend.load('config', 'config'), 'backend');
      const headError = await rejectsWithKind(backend.stat('config', 'config'), 'backend');
      await backend.close();
      assert.ok(Date.now() - started < 1500, 'a permanent failure is not retried');
      assert.match(error.message, /refused access \(InvalidAccessKeyId\).*AWS_ACCESS_KEY_ID/);
      assert.match(headError.message, /refused access \(HTTP 403\)/);
      for (const message of [error.message, headError.message])
        assert.doesNotMatch(message, /very-secret-value|NOBODY/);
    });

    test('credentials in the URL are refused without echoing them', () => {
      assert.throws(
        () => openBackend(`s3://key:hunter2@${server.host}:${server.port}/b`),
        (error: Error) => /environment/.test(error.message) && !error.message.includes('hunter2'),
      );
    });

    test('init, backup, restore byte-identical and check --read-data, packs uploaded in parts', async (t) => {
      const url = server.url('roundtrip');
      await roundTrip(t, () => open(url, { s3: { partSize: 5 * MiB } }), 8 * MiB);
    });

    test('a backup through resets, stalls and 503s completes and checks clean', async (t) => {
      const proxy = await startFaultProxy({
        port: server.port,
        seed: 7,
        plan: ['reset', 'stall', '503', 'pass', 'reset'],
        reset: 0.15,
        stall: 0.05,
        http503: 0.15,
        maxBytesBeforeFault: MiB,
      });
      t.after(() => proxy.stop());
      const retried: string[] = [];
      const url = server.url('faults', proxy.port);
      const source = await scratchDir(t, 's3-fault-source');
      await fsTree.buildSourceTree(source);
      const viaProxy = () => open(url, { onRetry: (event) => retried.push(event.reason) });
      const repo = await Repository.init(viaProxy(), PASSWORD, { kdf: FAST_KDF, packSize: MiB });
      const result = await backup(repo, { paths: [source] });
      await repo.close();
      assert.ok(
        proxy.stats.resets >= 1 && proxy.stats.stalls >= 1 && proxy.stats.http503 >= 1,
        JSON.stringify(proxy.stats),
      );
      assert.ok(retried.length >= 3, `retries: ${retried.join('; ')}`);

      const direct = await Repository.open(
        open(url.replace(`:${proxy.port}/`, `:${server.port}/`)),
        PASSWORD,
      );
      try {
        const checked = await check(direct, { readData: true });
        assert.deepEqual(checked.errors, []);
        assert.equal(checked.snapshots, 1);
        assert.ok(result.snapshot.summary!.filesNew > 0);
      } finally {
        await direct.close();
      }
    });

    test('S3Backend is what openBackend picks for s3:// and s3+http:// (loaded on first use)', async () => {
      for (const url of ['s3+http://127.0.0.1:1/b/p', 's3://s3.eu-west-1.amazonaws.com/b']) {
        const backend = openBackend(url, { env: server.env });
        assert.ok(backend instanceof LazyBackend);
        assert.ok((await backend.resolve()) instanceof S3Backend);
      }
    });
  });
}
