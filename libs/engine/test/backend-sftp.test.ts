import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { backup, check, openBackend, Repository, type Backend, type BackendOptions } from '../src/index.js';
import { LazyBackend } from '../src/backends/lazy.js';
import { SftpBackend } from '../src/backends/sftp.js';
import { backendContract, namedBytes, roundTrip } from './backend-contract.js';
import { FAST_KDF, fsTree, MiB, PASSWORD, rejectsWithKind, scratchDir } from './helpers.js';

type SftpSupport = typeof import('../../../test/support/sftp-server.mjs');
type ProxySupport = typeof import('../../../test/support/fault-proxy.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const { startSftp, generateKey, publicKeyFingerprint } = (await import(
  support('sftp-server.mjs')
)) as SftpSupport;
const { startFaultProxy } = (await import(support('fault-proxy.mjs'))) as ProxySupport;

const FAST: BackendOptions = { timeoutMs: 2000, retry: { attempts: 8, baseDelayMs: 20, maxDelayMs: 200 } };

let server: Awaited<ReturnType<SftpSupport['startSftp']>>;
before(async () => {
  server = await startSftp();
});
after(() => server?.stop());

const open = (url: string, options: BackendOptions = {}): Backend =>
  openBackend(url, { env: server.env, ...FAST, ...options });

/** An environment with the user key but no pinned host key, so known_hosts decides. */
const unpinned = () => ({ CAIRN_SFTP_KEY: server.keyFile });

async function knownHosts(t: import('node:test').TestContext, lines: string[]): Promise<string> {
  const dir = await scratchDir(t, 'known-hosts');
  const file = join(dir, 'known_hosts');
  await fs.writeFile(file, lines.join('\n') + '\n');
  return file;
}

backendContract('SFTP', async () => open(server.url('contract')));

describe('SFTP backend', () => {
  test('an unknown host key is refused, with its fingerprint in the message', async (t) => {
    const backend = open(server.url(), {
      env: unpinned(),
      sftp: { knownHostsFiles: [await knownHosts(t, [])] },
    });
    const error = await rejectsWithKind(backend.stat('config', 'config'), 'backend');
    await backend.close();
    assert.match(error.message, /not in known_hosts/);
    assert.ok(error.message.includes(server.hostKey), error.message);
  });

  test('a pinned fingerprint that does not match is refused', async () => {
    const other = 'SHA256:' + 'B'.repeat(43);
    const backend = open(server.url(), { sftp: { hostKey: other } });
    const error = await rejectsWithKind(backend.stat('config', 'config'), 'backend');
    await backend.close();
    assert.ok(error.message.includes(server.hostKey) && error.message.includes(other), error.message);
  });

  test('known_hosts: a matching entry (plain or hashed) is trusted, a changed key refused', async (t) => {
    const line = server.hostKeyLine;
    const name = `[${server.host}]:${server.port}`;
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
    for (const entry of [`${name} ${line}`, `${hashed} ${line}`, `other.example,${name} ${line}`]) {
      const file = await knownHosts(t, ['# comment', `unrelated.example ${line}`, entry]);
      const backend = open(server.url(), { env: unpinned(), sftp: { knownHostsFiles: [file] } });
      await rejectsWithKind(backend.stat('config', 'config'), 'not-found');
      await backend.close();
    }
    const dir = await scratchDir(t, 'other-host-key');
    const otherKey = generateKey(join(dir, 'other'));
    const otherLine = (await fs.readFile(`${otherKey}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' ');
    const changed = await knownHosts(t, [`${name} ${otherLine}`]);
    const backend = open(server.url(), { env: unpinned(), sftp: { knownHostsFiles: [changed] } });
    const error = await rejectsWithKind(backend.stat('config', 'config'), 'backend');
    await backend.close();
    assert.match(error.message, /does not match/);
    assert.ok(error.message.includes(server.hostKey), error.message);
    assert.notEqual(await publicKeyFingerprint(`${otherKey}.pub`), server.hostKey);
  });

  test('a key the server does not accept fails fast with a clear message', async (t) => {
    const dir = await scratchDir(t, 'wrong-key');
    const wrong = generateKey(join(dir, 'wrong'));
    const backend = open(server.url(), {
      env: { CAIRN_SFTP_KEY: wrong, CAIRN_SFTP_HOST_KEY: server.hostKey },
      retry: { attempts: 5, baseDelayMs: 2000, maxDelayMs: 2000 },
    });
    const started = Date.now();
    const error = await rejectsWithKind(backend.stat('config', 'config'), 'backend');
    await backend.close();
    assert.ok(Date.now() - started < 1900, 'a refused login is not retried');
    assert.match(error.message, /refused the login \(offered: key .*wrong\)/);
  });

  test('no credentials at all is a usage error before any connection', async () => {
    await assert.rejects(
      openBackend(server.url(), { env: { HOME: '/nonexistent' } }).list('index'),
      /no SFTP credentials/,
    );
  });

  test('a cut upload never leaves a file under its real name', async (t) => {
    const proxy = await startFaultProxy({ port: server.port, plan: ['reset'], maxBytesBeforeFault: 600_000 });
    t.after(() => proxy.stop());
    const url = server.url('cut');
    const direct = open(url);
    await direct.create();
    const file = namedBytes(4 * MiB);
    const cut = open(url.replace(`:${server.port}/`, `:${proxy.port}/`), { retry: { attempts: 1 } });
    await rejectsWithKind(cut.save('pack', file.name, file.bytes), 'backend');
    await cut.close();
    assert.equal(proxy.stats.resets, 1);
    await rejectsWithKind(direct.stat('pack', file.name), 'not-found');
    assert.deepEqual(await direct.list('pack'), []);
    await direct.close();
  });

  test('init, backup, restore byte-identical and check --read-data', async (t) => {
    const url = server.url('roundtrip');
    await roundTrip(t, () => open(url), 4 * MiB);
  });

  test('a backup through resets and stalls completes and checks clean', async (t) => {
    const proxy = await startFaultProxy({
      port: server.port,
      seed: 3,
      plan: ['pass', 'reset', 'stall', 'reset'],
      reset: 0.2,
      stall: 0.05,
      // Below what one pooled connection carries in this backup, so every planned fault strikes.
      maxBytesBeforeFault: 512 * 1024,
    });
    t.after(() => proxy.stop());
    const retried: string[] = [];
    const url = server.url('faults');
    const viaProxy = () =>
      open(url.replace(`:${server.port}/`, `:${proxy.port}/`), {
        onRetry: (event) => retried.push(event.reason),
      });
    const source = await scratchDir(t, 'sftp-fault-source');
    await fsTree.buildSourceTree(source);
    const repo = await Repository.init(viaProxy(), PASSWORD, { kdf: FAST_KDF, packSize: MiB });
    await backup(repo, { paths: [source] });
    await repo.close();
    assert.ok(proxy.stats.resets >= 1 && proxy.stats.stalls >= 1, JSON.stringify(proxy.stats));
    assert.ok(retried.length >= 2, `retries: ${retried.join('; ')}`);

    const direct = await Repository.open(open(url), PASSWORD);
    try {
      const checked = await check(direct, { readData: true });
      assert.deepEqual(checked.errors, []);
      assert.equal(checked.snapshots, 1);
    } finally {
      await direct.close();
    }
  });

  test('SftpBackend is what openBackend picks for sftp:// (loaded on first use)', async () => {
    const backend = open(server.url());
    assert.ok(backend instanceof LazyBackend);
    assert.ok((await backend.resolve()) instanceof SftpBackend);
  });
});
