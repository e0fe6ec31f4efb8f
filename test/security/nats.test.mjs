// NATS users and permissions (issue 11, item 8): a real nats-server with deploy/nats/nats.conf. Nobody
// gets in without a password, and each service may ask for, answer and listen to only what it needs:
// the secrets go to runners (jobs, destinations) and the notifier (channels), the admin password to
// the gateway, and no service can take another's requests or read another's replies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import {
  ConfigError,
  connectNats,
  loadNatsSettings,
  natsSettings,
  request,
  RUNNER,
  serve,
} from '@cairn/contracts';
import { SERVICE_NAMES } from '../../deploy/services.mjs';
import { makeTempDir, removeDir } from '../support/fs-tree.mjs';
import { privateNats } from '../support/services.mjs';

const SECRET = 'the-answer-holds-a-secret';
const RESOLVE = {
  jobs: 'cairn.catalog.jobs.resolve',
  destinations: 'cairn.catalog.destinations.resolve',
  channels: 'cairn.catalog.channels.resolve',
};
const ADMIN = ['cairn.catalog.admin.get', 'cairn.catalog.admin.set-password'];
const OVERDUE = ['cairn.catalog.overdue.list', 'cairn.catalog.overdue.set', 'cairn.catalog.overdue.clear'];

/** Connects as a service does: its user, its password, its own inbox prefix. */
function as(nats, service, password = nats.passwords[service]) {
  return connectNats(
    natsSettings({ NATS_URL: nats.url, NATS_PASSWORD: password }, service),
    `security-${service}`,
  );
}

async function refusedRequest(nc, subject) {
  await assert.rejects(nc.request(subject, '{}', { timeout: 5000 }), /Permissions Violation for Publish/);
}

async function answered(nc, subject) {
  assert.equal((await nc.request(subject, '{}', { timeout: 5000 })).string(), SECRET);
}

/** The server closes a subscription it does not allow (before it answers the next ping). */
async function refusedSubscription(nc, subject) {
  const subscription = nc.subscribe(subject, { callback: () => undefined });
  await nc.flush();
  assert.ok(subscription.isClosed(), `${subject} may be subscribed to`);
  assert.match(String((await subscription.closed)?.message), /Permissions Violation for Subscription/);
}

describe('NATS users and permissions (deploy/nats/nats.conf)', () => {
  let nats, catalog;
  const connections = {};
  /** Every request the catalog stand-in was sent, by subject. */
  const received = [];

  before(async () => {
    nats = await privateNats({ auth: true });
    for (const service of SERVICE_NAMES) connections[service] = await as(nats, service);
    // Stands in for the catalog: answers every catalog subject with a secret, and notes who got through.
    catalog = connections.catalog;
    catalog.subscribe('cairn.catalog.>', {
      queue: 'catalog',
      callback: (_, msg) => {
        received.push(msg.subject);
        msg.respond(SECRET);
      },
    });
    await catalog.flush();
  });

  after(async () => {
    await Promise.all(Object.values(connections).map((nc) => nc.close()));
    await nats?.stop();
  });

  test('without a password, with a wrong one, or with another service’s one, nobody gets in', async () => {
    await assert.rejects(connect({ servers: nats.url }), /Authorization Violation/);
    await assert.rejects(
      as(nats, 'runner', 'not-the-password'),
      /cannot connect to NATS .* as runner: Authorization Violation/,
    );
    await assert.rejects(as(nats, 'runner', nats.passwords.gateway), /Authorization Violation/);
    await assert.rejects(
      connect({ servers: nats.url, user: 'admin', pass: nats.passwords.catalog }),
      /Authorization Violation/,
    );
  });

  test('only runners get job passphrases and destination secrets; only the notifier channel secrets', async () => {
    await answered(connections.runner, RESOLVE.jobs);
    await answered(connections.runner, RESOLVE.destinations);
    await answered(connections.notifier, RESOLVE.channels);
    for (const service of ['gateway', 'scheduler', 'notifier']) {
      await refusedRequest(connections[service], RESOLVE.jobs);
      await refusedRequest(connections[service], RESOLVE.destinations);
    }
    for (const service of ['gateway', 'scheduler', 'runner'])
      await refusedRequest(connections[service], RESOLVE.channels);
    // Even a plain publish (no reply wanted) of a refused subject never reaches the catalog.
    connections.gateway.publish(RESOLVE.jobs, '{}');
    await connections.gateway.flush();
    await catalog.flush();
    assert.deepEqual(received.filter((subject) => subject.endsWith('.resolve')).sort(), [
      RESOLVE.channels,
      RESOLVE.destinations,
      RESOLVE.jobs,
    ]);
  });

  test('only the gateway reads or sets the admin password', async () => {
    for (const subject of ADMIN) {
      await answered(connections.gateway, subject);
      for (const service of ['runner', 'scheduler', 'notifier'])
        await refusedRequest(connections[service], subject);
    }
    // The gateway asks the catalog what it may, nothing more.
    await answered(connections.gateway, 'cairn.catalog.jobs.list');
    await refusedRequest(connections.gateway, 'cairn.catalog.deliveries.record');
    await refusedRequest(connections.scheduler, 'cairn.catalog.jobs.remove');
  });

  test('only the notifier keeps the overdue lapses; it no longer writes the settings', async () => {
    for (const subject of OVERDUE) {
      await answered(connections.notifier, subject);
      for (const service of ['gateway', 'runner', 'scheduler'])
        await refusedRequest(connections[service], subject);
    }
    await refusedRequest(connections.notifier, 'cairn.catalog.settings.update');
  });

  test('no service can take another service’s requests, nor listen to everything', async () => {
    const steals = {
      gateway: [
        'cairn.catalog.>',
        'cairn.catalog.jobs.resolve',
        'cairn.runner.>',
        'cairn.jobs.run',
        'cairn.notifier.test',
      ],
      runner: ['cairn.catalog.>', 'cairn.scheduler.pause', 'cairn.notifier.>', 'cairn.events.run.finished'],
      scheduler: ['cairn.catalog.jobs.resolve', 'cairn.runner.destination.test', 'cairn.streams.>'],
      notifier: ['cairn.catalog.channels.resolve', 'cairn.runner.>', 'cairn.scheduler.status'],
      catalog: ['cairn.runner.>', 'cairn.notifier.test', 'cairn.streams.>'],
    };
    for (const [service, subjects] of Object.entries(steals)) {
      for (const subject of [...subjects, '>', 'cairn.>'])
        await refusedSubscription(connections[service], subject);
    }
  });

  test('replies go to the asker’s own inbox: no other service can read them', async () => {
    // A runner's reply inbox would carry the passphrases; a shared _INBOX would let anyone read them.
    for (const service of ['gateway', 'scheduler', 'notifier', 'catalog']) {
      await refusedSubscription(connections[service], '_INBOX_runner.>');
      await refusedSubscription(connections[service], '_INBOX.>');
    }
    await refusedSubscription(connections.runner, '_INBOX_gateway.>');
  });

  test('a reply larger than one NATS message reaches the service that asked, in parts its permissions allow', async () => {
    // A folder of 20 000 files: about 3 MiB of JSON, three times the server's max_payload.
    const entries = Array.from({ length: 20_000 }, (_, i) => ({
      name: `note-${i}.txt`,
      path: `/source/notes/note-${i}.txt`,
      type: 'file',
      size: i,
      mtime: '2026-12-03T00:00:00.000Z',
      mode: 0o644,
    }));
    const answering = serve(connections.runner, RUNNER.browse, async () => entries, { queue: 'runner' });
    try {
      await connections.runner.flush();
      assert.deepEqual(await request(connections.gateway, RUNNER.browse, { path: '/source/notes' }), entries);
    } finally {
      answering.unsubscribe();
    }
  });

  test('JetStream: services may keep the streams, never delete or purge them, nor pull another’s work', async () => {
    const jsApi = (subject) => `$JS.API.${subject}`;
    for (const service of ['catalog', 'runner', 'scheduler', 'notifier', 'gateway']) {
      await refusedRequest(connections[service], jsApi('STREAM.DELETE.JOBS'));
      await refusedRequest(connections[service], jsApi('STREAM.PURGE.EVENTS'));
    }
    await refusedRequest(connections.gateway, jsApi('CONSUMER.MSG.NEXT.JOBS.runners'));
    await refusedRequest(connections.scheduler, jsApi('CONSUMER.MSG.NEXT.EVENTS.notifier'));
    await refusedRequest(connections.notifier, jsApi('CONSUMER.MSG.NEXT.EVENTS.catalog'));
    // The gateway only publishes run requests; it cannot create streams or consumers.
    await refusedRequest(connections.gateway, jsApi('STREAM.CREATE.JOBS'));
  });

  test('a service’s NATS settings are checked at start and never show the password', () => {
    assert.throws(
      () => loadNatsSettings({ NATS_USER: 'runner' }, 'runner'),
      (error) =>
        error instanceof ConfigError && /NATS_PASSWORD: must be set when NATS_USER is/.test(error.message),
    );
    assert.throws(
      () =>
        loadNatsSettings(
          { NATS_PASSWORD: 'hunter2-secret', NATS_TLS_CERT: '/nonexistent/cert.pem' },
          'runner',
        ),
      (error) =>
        /NATS_TLS_CERT: no such file/.test(error.message) &&
        /NATS_TLS_KEY: must be set with NATS_TLS_CERT|NATS_TLS_CERT/.test(error.message) &&
        !error.message.includes('hunter2-secret'),
    );
    assert.throws(
      () => loadNatsSettings({ NATS_URL: 'not a url', NATS_PASSWORD: 'hunter2-secret' }, 'runner'),
      /NATS_URL/,
    );
    const settings = loadNatsSettings({ NATS_PASSWORD: 'p' }, 'scheduler');
    assert.equal(settings.user, 'scheduler', 'the user defaults to the service’s name');
    assert.equal(settings.inboxPrefix, '_INBOX_scheduler');
  });
});

describe('NATS over TLS (deploy/nats/tls.conf)', () => {
  let dir, nats;

  before(async () => {
    dir = await makeTempDir('nats-tls');
    // `@name` is a file in dir (which has no spaces: makeTempDir names it).
    const openssl = (args) =>
      execFileSync(
        'openssl',
        args.split(' ').map((arg) => arg.replace(/^@/, `${dir}/`)),
        { stdio: 'ignore' },
      );
    const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
    openssl(`req -x509 ${newKey} -days 1 -subj /CN=cairn-test-CA -keyout @ca.key -out @ca.pem`);
    openssl(`req ${newKey} -subj /CN=localhost -keyout @server.key -out @server.csr`);
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(
      'x509 -req -in @server.csr -CA @ca.pem -CAkey @ca.key -CAcreateserial -days 1 -extfile @san.ext -out @server.pem',
    );
    nats = await privateNats({ tls: { cert: join(dir, 'server.pem'), key: join(dir, 'server.key') } });
  });

  after(async () => {
    await nats?.stop();
    if (dir) await removeDir(dir);
  });

  test('a service that trusts the CA connects over TLS; without TLS, or without the CA, it does not', async () => {
    const env = { NATS_URL: nats.url, NATS_PASSWORD: nats.passwords.runner };
    const nc = await connectNats(
      loadNatsSettings({ ...env, NATS_TLS_CA: join(dir, 'ca.pem') }, 'runner'),
      'tls-test',
    );
    assert.ok(nc.info?.tls_required, 'the server requires TLS');
    await nc.close();
    await assert.rejects(
      connect({ servers: nats.url, user: 'runner', pass: nats.passwords.runner, tls: null }),
    );
    await assert.rejects(connectNats(loadNatsSettings(env, 'runner'), 'tls-test'));
  });
});
