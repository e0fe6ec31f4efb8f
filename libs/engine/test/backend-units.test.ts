import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { CairnError } from '../src/index.js';
import { knownHostsFor } from '../src/backends/known-hosts.js';
import { backoffDelay, retry, TransientFailure, type RetryPolicy } from '../src/backends/retry.js';
import { parseS3Url, parseSftpUrl } from '../src/backends/url.js';
import { rejectsWithKind } from './helpers.js';

const QUICK: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('retry', () => {
  test('transient failures are retried until success, reporting each retry', async () => {
    const events: number[] = [];
    let calls = 0;
    const value = await retry(
      'op',
      QUICK,
      async () => {
        if (++calls < 3) throw new TransientFailure('reset');
        return 'done';
      },
      (event) => events.push(event.attempt),
    );
    assert.equal(value, 'done');
    assert.deepEqual(events, [1, 2]);
  });

  test('a bounded number of attempts, then a backend error that keeps the reason', async () => {
    let calls = 0;
    const error = await rejectsWithKind(
      retry('write data/ab/x', QUICK, async () => {
        calls++;
        throw new TransientFailure('write data/ab/x: connection reset');
      }),
      'backend',
    );
    assert.equal(calls, 4);
    assert.match(error.message, /connection reset \(gave up after 4 attempts\)/);
  });

  test('permanent failures are not retried', async () => {
    let calls = 0;
    await rejectsWithKind(
      retry('op', QUICK, async () => {
        calls++;
        throw new CairnError('not-found', 'gone');
      }),
      'not-found',
    );
    assert.equal(calls, 1);
  });

  test('backoff doubles from the base, stays within the cap, and is jittered', () => {
    const policy: RetryPolicy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      const delays = Array.from({ length: 50 }, () => backoffDelay(policy, attempt));
      assert.ok(
        delays.every((d) => d >= ceiling / 2 && d <= ceiling),
        `attempt ${attempt}`,
      );
      assert.ok(new Set(delays).size > 1, 'jittered');
    }
  });
});

describe('remote URLs', () => {
  test('S3 URLs name endpoint, bucket and prefix', () => {
    assert.deepEqual(parseS3Url('s3://minio.lan:9000/backups/nas/photos'), {
      endpoint: 'https://minio.lan:9000',
      hostname: 'minio.lan',
      bucket: 'backups',
      prefix: 'nas/photos/',
      display: 's3://minio.lan:9000/backups/nas/photos',
    });
    const plain = parseS3Url('s3+http://127.0.0.1:9000/b');
    assert.equal(plain.endpoint, 'http://127.0.0.1:9000');
    assert.equal(plain.prefix, '');
  });

  test('SFTP URLs: absolute paths, paths in the login folder, default user and port', () => {
    assert.deepEqual(parseSftpUrl('sftp://backup@nas:2222/srv/cairn'), {
      user: 'backup',
      hostname: 'nas',
      port: 2222,
      path: '/srv/cairn',
      display: 'sftp://backup@nas:2222/srv/cairn',
    });
    assert.equal(parseSftpUrl('sftp://backup@nas/~/cairn').path, 'cairn');
    assert.equal(parseSftpUrl('sftp://backup@nas/~').path, '.');
    assert.equal(parseSftpUrl('sftp://backup@[::1]/x').hostname, '::1');
    assert.equal(parseSftpUrl('sftp://nas/x').port, 22);
  });

  test('malformed URLs are usage errors; passwords are refused and never echoed', () => {
    for (const bad of [
      's3://host',
      's3://host/',
      's3://:9000/b',
      'sftp://',
      's3://h/b?x=1',
      's3://h:99999/b',
    ]) {
      assert.throws(
        () => (bad.startsWith('s3') ? parseS3Url(bad) : parseSftpUrl(bad)),
        (error: CairnError) => {
          return error.kind === 'usage';
        },
        bad,
      );
    }
    for (const secret of ['sftp://me:s3cr3t@h/x', 's3://AKIA:s3cr3t@h/b']) {
      const parse = secret.startsWith('s3') ? parseS3Url : parseSftpUrl;
      assert.throws(
        () => parse(secret),
        (error: CairnError) => error.kind === 'usage' && !error.message.includes('s3cr3t'),
      );
    }
  });
});

describe('known_hosts', () => {
  const key = Buffer.from('ssh-ed25519-key-blob').toString('base64');
  test('plain, bracketed, wildcard, negated and hashed names', () => {
    const salt = Buffer.from('salt-salt-salt-salt!');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[nas]:2222').digest('base64')}`;
    const text = [
      '# a comment',
      `nas,nas.lan ssh-ed25519 ${key}`,
      `[nas]:2222 ssh-ed25519 ${key}`,
      `*.lan,!secret.lan ssh-rsa ${key}`,
      `${hashed} ecdsa-sha2-nistp256 ${key}`,
      `@revoked nas ssh-ed25519 ${key}`,
      `@weird nas ssh-ed25519 ${key}`,
    ].join('\n');
    assert.deepEqual(
      knownHostsFor(text, 'nas', 22).map((e) => [e.marker ?? '', e.keyType]),
      [
        ['', 'ssh-ed25519'],
        ['revoked', 'ssh-ed25519'],
      ],
    );
    assert.deepEqual(
      knownHostsFor(text, 'nas', 2222).map((e) => e.keyType),
      ['ssh-ed25519', 'ecdsa-sha2-nistp256'],
    );
    assert.deepEqual(
      knownHostsFor(text, 'box.lan', 22).map((e) => e.keyType),
      ['ssh-rsa'],
    );
    assert.deepEqual(knownHostsFor(text, 'secret.lan', 22), []);
    assert.ok(knownHostsFor(text, 'nas', 22)[0]!.key.equals(Buffer.from('ssh-ed25519-key-blob')));
  });
});

describe('ssh2', () => {
  test('runs with its native crypto binding, built for this Node by the postinstall script', () => {
    const crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as {
      bindingAvailable: boolean;
    };
    assert.equal(
      crypto.bindingAvailable,
      true,
      'ssh2 fell back to JavaScript crypto: run "npm ci" (libs/engine/scripts/build-ssh2-crypto.mjs builds the binding)',
    );
  });
});
