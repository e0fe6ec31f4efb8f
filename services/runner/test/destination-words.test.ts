// "Test connection" as the web app asks it, against a real OpenSSH server and real sockets: every
// failure reads as a sentence about the destination's fields, never the CLI's flags and variables.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectNats, request, RUNNER, type NatsConnection } from '@cairn/contracts';
import { main, type RunningRunner } from '../src/main.js';

type Services = typeof import('../../../test/support/services.mjs');
type SftpSupport = typeof import('../../../test/support/sftp-server.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const services = (await import(support('services.mjs'))) as Services;
const { startSftp } = (await import(support('sftp-server.mjs'))) as SftpSupport;

/** What a person sees must not speak the CLI's language. */
const CLI_WORDS = /--sftp|CAIRN_|known_hosts|offered:|ECONN|\b(\w+ \w+): \1:/;

describe('destination test failures in words about the fields', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let runner: RunningRunner;
  let sftp: Awaited<ReturnType<SftpSupport['startSftp']>>;
  let privateKey: string;

  before(async () => {
    [nats, sftp] = await Promise.all([services.privateNats(), startSftp()]);
    privateKey = readFileSync(sftp.keyFile, 'utf8');
    nc = await connectNats(nats.url, 'destination-words-test');
    runner = await main({ NATS_URL: nats.url, CAIRN_LOG_LEVEL: 'fatal' });
  });

  after(async () => {
    await runner?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), sftp?.stop()]);
  });

  const probe = (url: string, options: Record<string, string>, secrets: Record<string, string>) =>
    request(nc, RUNNER.testDestination, { url, options, secrets }, 30_000);

  test('an unknown SSH host key is offered to trust with its fingerprint; trusted, the test passes', async () => {
    const url = sftp.url('words');
    const unknown = await probe(url, {}, { privateKey });
    assert.equal(unknown.ok, false);
    assert.equal(unknown.hostKey, sftp.hostKey);
    assert.ok(unknown.message.includes(sftp.hostKey), unknown.message);
    assert.match(unknown.message, /trust it/);
    assert.doesNotMatch(unknown.message, CLI_WORDS);
    const trusted = await probe(url, { hostKey: unknown.hostKey! }, { privateKey });
    assert.equal(trusted.ok, true, trusted.message);
  });

  test('a key that is no key, a refused login, a closed port and HTTPS to plain HTTP each say what to check', async () => {
    const options = { hostKey: sftp.hostKey };
    const garbage = await probe(sftp.url('words'), options, { privateKey: 'garbage key' });
    assert.match(garbage.message, /^The private key cannot be read/);
    const refused = await probe(sftp.url('words').replace(`//${sftp.user}@`, '//nobody@'), options, {
      privateKey,
    });
    assert.match(refused.message, /refused the login as "nobody"/);
    const closed = await probe(
      's3+http://127.0.0.1:1/bucket',
      {},
      {
        accessKeyId: 'id',
        secretAccessKey: 'secret',
      },
    );
    assert.match(closed.message, /^Nothing answers at 127\.0\.0\.1:1/);
    // HTTPS to a server that speaks plain HTTP: OpenSSL's own words stay out.
    const plain = createServer((_, response) => response.end('plain http')).listen(0, '127.0.0.1');
    await new Promise((resolve) => plain.once('listening', resolve));
    const { port } = plain.address() as AddressInfo;
    const tls = await probe(
      `s3://127.0.0.1:${port}/bucket`,
      {},
      {
        accessKeyId: 'id',
        secretAccessKey: 'secret',
      },
    ).finally(() => plain.close());
    assert.match(tls.message, /^The secure \(HTTPS\) connection failed/);
    assert.doesNotMatch(tls.message, /SSL routines|wrong version number/i);
    for (const failed of [garbage, refused, closed, tls]) {
      assert.equal(failed.ok, false);
      assert.equal(failed.hostKey, undefined);
      assert.doesNotMatch(failed.message, CLI_WORDS);
    }
  });
});
