// cairn-server, the image's entrypoint: its answers to a wrong command, and its health probes against
// a real NATS server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCHEDULER, connectNats, serve } from '@cairn/contracts';
import { CLUSTER_SERVICES, SERVICE_NAMES } from '../../deploy/services.mjs';
import { privateNats } from '../support/services.mjs';
import { cairnServer as run } from './project.mjs';

function cairnServer(args, env = {}) {
  return run(args, { ...process.env, ...env });
}

test('an unknown service is refused with one line naming the real ones', async () => {
  const { code, stderr } = await cairnServer(['nonsense']);
  assert.equal(code, 2);
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(
    stderr,
    /unknown service "nonsense" \(expected one of: catalog, scheduler, runner, notifier, gateway, volume-controller\)/,
  );
  assert.equal((await cairnServer(['health', 'nonsense'])).code, 2);
});

test('--help lists every service and the health command', async () => {
  const { code, stdout } = await cairnServer(['--help']);
  assert.equal(code, 0);
  for (const name of [...SERVICE_NAMES, ...Object.keys(CLUSTER_SERVICES)])
    assert.match(stdout, new RegExp(`^  ${name} `, 'm'));
  assert.match(stdout, /cairn-server health <service>/);
});

test('a missing setting stops a service at once, saying which', async () => {
  const { code, stderr } = await cairnServer(['gateway'], { CAIRN_SECRET_KEY: '' });
  assert.equal(code, 1);
  assert.match(stderr, /^cairn-server: gateway: invalid configuration:\n {2}CAIRN_SECRET_KEY: /);
});

test('the volume controller outside a cluster, told no API server, stops saying which setting', async () => {
  const { code, stderr } = await cairnServer(['volume-controller'], {
    KUBERNETES_SERVICE_HOST: '',
    CAIRN_KUBE_API_URL: '',
  });
  assert.equal(code, 1);
  assert.match(stderr, /^cairn-server: volume-controller: invalid configuration:\n {2}CAIRN_KUBE_API_URL: /);
});

test('health fails with one line when NATS is unreachable', async () => {
  const { code, stderr } = await cairnServer(['health', 'catalog'], { NATS_URL: 'nats://127.0.0.1:1' });
  assert.equal(code, 1);
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(stderr, /^cairn-server: catalog: cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
});

test('health fails with one line when the gateway does not answer', async () => {
  const { code, stderr } = await cairnServer(['health', 'gateway'], { CAIRN_PORT: '1' });
  assert.equal(code, 1);
  assert.match(stderr, /^cairn-server: gateway: no answer at http:\/\/127\.0\.0\.1:1\/api\/v1\/health/);
});

describe('health over NATS', () => {
  let nats;
  let nc;
  before(async () => {
    nats = await privateNats();
    nc = await connectNats(nats.url, 'health-test');
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  test('1 while nobody answers', async () => {
    const { code, stderr } = await cairnServer(['health', 'scheduler'], { NATS_URL: nats.url });
    assert.equal(code, 1);
    assert.match(stderr, /^cairn-server: scheduler: no answer on cairn\.scheduler\.status/);
  });

  test('0 once the service answers', async (t) => {
    // Stands in for the scheduler: what is under test is the probe, over a real NATS server.
    const sub = serve(nc, SCHEDULER.status, async () => ({ pausedUntil: null, next: [] }), {
      queue: 'scheduler',
      logger: { error: (fields) => t.diagnostic(JSON.stringify(fields)) },
    });
    await nc.flush();
    const { code, stdout } = await cairnServer(['health', 'scheduler'], { NATS_URL: nats.url });
    sub.unsubscribe();
    assert.equal(code, 0);
    assert.match(stdout, /^scheduler: answers on cairn\.scheduler\.status$/m);
  });
});
