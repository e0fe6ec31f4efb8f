// The volume controller against a real kube-apiserver (issue 15), with the rights the chart gives
// it and nothing more: the pods it makes for annotated PVCs (node pinning of RWO volumes, read-only
// mount, hardened security context, owner references), the clean-up of finished ones, and what it
// does when the API answers 409, 410 and 429.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@cairn/contracts';
import { goTool } from '../support/go-tools.mjs';
import { startKubeApiserver } from '../support/kube-apiserver.mjs';
import { freePort } from '../support/services.mjs';
import { main } from '../../services/volume-controller/dist/src/main.js';
import { KubeClient } from '../../services/volume-controller/dist/src/kube/kube-client.js';
import { KubeClusterRepository } from '../../services/volume-controller/dist/src/repositories/cluster.repository.js';
import { Cluster, controllerRbac, eventually, theOne, throttlingProxy } from './cluster.mjs';

// Built (or taken from the cache) before any test starts: on a cold cache the build outlasts a test's timeout.
const KUBE_APISERVER = goTool('kube-apiserver');
const EVERY_SECOND = '* * * * * *';
const BACKED_UP = { 'cairn.io/backup': 'true', 'cairn.io/schedule': EVERY_SECOND };
const CONTROLLER_USER = 'system:serviceaccount:cairn:backup-cairn-volume-controller';

class Log {
  lines = [];
  write(line) {
    this.lines.push(JSON.parse(line));
  }
  has(message) {
    return this.lines.some((line) => line.msg === message);
  }
}

describe('the volume controller in a real kube-apiserver', () => {
  let kube, cluster, dir, token, controller, proxy;
  const log = new Log();

  const controllerEnv = async (extra = {}) => ({
    CAIRN_KUBE_API_URL: proxy.url,
    CAIRN_KUBE_TOKEN_FILE: token,
    CAIRN_KUBE_CA_FILE: kube.caFile,
    CAIRN_CONTROLLER_NAMESPACES: 'apps',
    CAIRN_CLUSTER_NAME: 'test-cluster',
    CAIRN_CONTROLLER_RESYNC_MS: '200',
    CAIRN_KUBE_WATCH_TIMEOUT_S: '2',
    CAIRN_CONTROLLER_BIND: '127.0.0.1',
    CAIRN_CONTROLLER_HEALTH_PORT: String(await freePort()),
    CAIRN_METRICS_PORT: '0',
    // No catalog here (volume-runs.test.mjs has one): the runs go unrecorded, which is logged once.
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    CAIRN_BACKUP_IMAGE: 'registry.example.com/cairn-server:0.1.0',
    // Nothing is due by default: each PVC of the suite names its own schedule.
    CAIRN_BACKUP_SCHEDULE: '0 0 1 1 *',
    ...extra,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-volume-controller-'));
    // No watch cache: watches read etcd itself, so that compacting etcd expires them (410).
    kube = await startKubeApiserver({ binary: KUBE_APISERVER, args: ['--watch-cache=false'] });
    cluster = new Cluster(kube);
    proxy = await throttlingProxy(kube, kube.certDir);
    await cluster.namespace('cairn');
    // Pod Security admission enforces "baseline" where the applications run: the backup pods must pass it.
    await cluster.namespace('apps', {
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline' },
      annotations: { 'cairn.io/job': 'apps-nightly' },
    });
    await cluster.namespace('outside', { annotations: BACKED_UP });
    for (const name of ['node-a', 'node-b']) {
      await cluster.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      });
    }
    for (const object of controllerRbac('backup', { 'controller.namespaces': '{apps}' })) {
      await cluster.create(object);
    }
    token = await cluster.tokenFile('cairn', 'backup-cairn-volume-controller', dir);

    // What the cluster holds before the controller starts (its first list sees all of it).
    await cluster.boundClaim('apps', 'data', { annotations: BACKED_UP });
    await cluster.podOnNode('apps', 'database', 'node-b', 'data', [
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
    ]);
    await cluster.boundClaim('apps', 'local', {
      annotations: BACKED_UP,
      nodeAffinity: [
        { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] },
      ],
    });
    await cluster.boundClaim('apps', 'shared', { annotations: BACKED_UP, accessModes: ['ReadWriteMany'] });
    await cluster.boundClaim('apps', 'scratch', {
      annotations: { ...BACKED_UP, 'cairn.io/backup': 'false' },
    });
    await cluster.boundClaim('outside', 'elsewhere');

    controller = await main(await controllerEnv(), { logDestination: log });
  });
  after(async () => {
    await controller?.close();
    await proxy?.stop();
    await kube?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the chart gives the controller only what it needs', async () => {
    const can = (verb, resource, namespace, subresource) =>
      cluster.allowed(CONTROLLER_USER, {
        verb,
        resource,
        namespace,
        ...(subresource ? { subresource } : {}),
      });
    assert.equal(await can('create', 'pods', 'apps'), true);
    assert.equal(await can('watch', 'persistentvolumes'), true);
    assert.equal(await can('create', 'pods', 'outside'), false, 'only in the namespaces of the values');
    assert.equal(await can('list', 'pods', 'outside'), false);
    assert.equal(
      await can('get', 'secrets', 'apps'),
      false,
      'the backup pods take the repository, not the controller',
    );
    assert.equal(await can('create', 'pods', 'apps', 'exec'), false, 'no hooks: no exec');
    assert.equal(await can('update', 'persistentvolumeclaims', 'apps'), false);
    const ready = () => fetch(`http://127.0.0.1:${controller.healthPort}/readyz`);
    await eventually(async () => assert.equal((await ready()).status, 200, 'every cache has listed'));
  });

  test('a RWO volume that a running pod mounts: the backup pod goes to that node, read-only and hardened', async () => {
    const claim = await cluster.get('PersistentVolumeClaim', 'apps', 'data');
    const pod = await theOne(() => cluster.backupPods('apps', 'data'));
    assert.deepEqual(
      pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }],
    );
    assert.deepEqual(
      pod.spec.tolerations.filter((toleration) => toleration.key === 'dedicated'),
      [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
      "the application pod's tolerations admit it on that node",
    );
    assert.deepEqual(pod.spec.volumes.find((v) => v.name === 'volume').persistentVolumeClaim, {
      claimName: 'data',
      readOnly: true,
    });
    const [container] = pod.spec.containers;
    assert.deepEqual(
      container.volumeMounts.find((m) => m.name === 'volume'),
      {
        name: 'volume',
        mountPath: '/volumes/apps/data',
        readOnly: true,
      },
    );
    assert.deepEqual(container.command, [
      'cairn',
      'backup',
      '/volumes/apps/data',
      '--host',
      'test-cluster',
      '--tag',
      'apps-nightly',
      '--json',
      '--summary-file',
      '/dev/termination-log',
    ]);
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'cairn-repository' } }]);
    assert.equal(container.image, 'registry.example.com/cairn-server:0.1.0');
    assert.deepEqual(container.securityContext, {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['DAC_OVERRIDE'] },
    });
    assert.deepEqual(pod.spec.securityContext, {
      runAsUser: 0,
      runAsGroup: 0,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal(pod.spec.automountServiceAccountToken, false);
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: 'data',
        uid: claim.metadata.uid,
        controller: true,
      },
    ]);
  });

  test('a RWO volume no pod mounts goes by the PV node affinity; a RWX volume anywhere', async () => {
    const local = await theOne(() => cluster.backupPods('apps', 'local'));
    assert.deepEqual(
      local.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
      [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }],
    );
    const shared = await theOne(() => cluster.backupPods('apps', 'shared'));
    assert.equal(shared.spec.affinity, undefined);
  });

  test('a PVC annotated "false", and one of a namespace not in the list, are left alone', async () => {
    // By now the controller has made the pods of the volumes above; these two it has had as long.
    await eventually(async () => assert.equal((await cluster.backupPods('apps', 'shared')).length, 1));
    assert.equal((await cluster.backupPods('apps', 'scratch')).length, 0);
    assert.equal((await cluster.list('Pod', 'outside')).length, 0);
  });

  test('a finished backup pod stays as the record of its fire until the next run starts; then it is removed', async () => {
    const first = await theOne(() => cluster.backupPods('apps', 'shared'));
    await cluster.setStatus('Pod', 'apps', first.metadata.name, { phase: 'Succeeded' });
    const second = await eventually(async () => {
      const pods = await cluster.backupPods('apps', 'shared');
      assert.deepEqual(
        pods.map((pod) => pod.metadata.name),
        [pods.find((pod) => pod.metadata.name !== first.metadata.name)?.metadata.name],
        'the new run is there and the finished one is gone',
      );
      return pods[0];
    });
    assert.ok(
      new Date(second.metadata.annotations['cairn.io/scheduled-at']) >
        new Date(first.metadata.annotations['cairn.io/scheduled-at']),
    );
  });

  test("a new PVC annotated cairn.io/restore-from gets one restore pod, writing that volume's snapshot into it; backups after", async () => {
    const target = await cluster.boundClaim('apps', 'data-restored', {
      annotations: {
        ...BACKED_UP,
        'cairn.io/restore-from': 'data',
        'cairn.io/restore-snapshot': 'a1b2c3d4e5f60718',
      },
    });
    const pod = await theOne(() => cluster.restorePods('apps', 'data-restored'));
    const [container] = pod.spec.containers;
    assert.deepEqual(container.command, [
      'cairn',
      'restore',
      'a1b2c3d4e5f60718',
      '--target',
      '/restore',
      '--include',
      '/volumes/apps/data',
      '--json',
    ]);
    assert.deepEqual(pod.spec.volumes.find((v) => v.name === 'volume').persistentVolumeClaim, {
      claimName: 'data-restored',
    });
    assert.deepEqual(
      container.volumeMounts.find((m) => m.name === 'volume'),
      {
        name: 'volume',
        mountPath: '/restore/volumes/apps/data',
      },
    );
    assert.deepEqual(container.securityContext.capabilities, {
      drop: ['ALL'],
      add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID'],
    });
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(pod.metadata.ownerReferences[0].uid, target.metadata.uid);
    assert.deepEqual(
      await cluster.backupPods('apps', 'data-restored'),
      [],
      'no backup of a volume half restored',
    );
    await cluster.setStatus('Pod', 'apps', pod.metadata.name, { phase: 'Succeeded' });
    await eventually(async () => assert.equal((await cluster.backupPods('apps', 'data-restored')).length, 1));
    assert.equal((await cluster.restorePods('apps', 'data-restored')).length, 1, 'restored once');
  });

  test('no restore into a PVC a pod mounts, nor without a snapshot named: each said in words', async () => {
    await cluster.podOnNode('apps', 'writer', 'node-a', 'in-use');
    // The pods' watch is one stream: once the controller has acted on a pod's change made after the
    // writer was, it has seen the writer too.
    const [earlier] = await cluster.backupPods('apps', 'local');
    await cluster.setStatus('Pod', 'apps', earlier.metadata.name, { phase: 'Succeeded' });
    await eventually(async () => {
      const pods = await cluster.backupPods('apps', 'local');
      assert.ok(pods.some((pod) => pod.metadata.name !== earlier.metadata.name));
    });
    await cluster.boundClaim('apps', 'in-use', {
      annotations: { 'cairn.io/restore-from': 'data', 'cairn.io/restore-snapshot': 'a1b2c3d4e5f60718' },
    });
    await cluster.boundClaim('apps', 'unnamed', { annotations: { 'cairn.io/restore-from': 'data' } });
    const problem = (claim) => log.lines.find((line) => line.claim === claim && line.problem)?.problem;
    await eventually(() => {
      assert.match(
        problem('in-use') ?? '',
        /the PVC \(ReadWriteOnce\) is in use by pod writer on node node-a; .*stop the application/,
      );
      assert.match(problem('unnamed') ?? '', /cairn\.io\/restore-snapshot must name the snapshot to restore/);
    });
    assert.deepEqual(await cluster.restorePods('apps', 'in-use'), []);
    assert.deepEqual(await cluster.restorePods('apps', 'unnamed'), []);
  });

  test('a restore into an existing PVC waits for its backup under way; no backup starts before it has succeeded; another snapshot restores again', async () => {
    const snapshotOf = (pod) => pod.spec.containers[0].command[2];
    // Once the barrier PVC's next backup pod is there, the controller has acted on every pod change made before.
    await cluster.boundClaim('apps', 'barrier', { annotations: BACKED_UP });
    const barrier = async () => {
      const pod = await eventually(async () => {
        const running = (await cluster.backupPods('apps', 'barrier')).find(
          (p) => p.status.phase !== 'Succeeded',
        );
        assert.ok(running, 'the barrier’s run under way');
        return running;
      });
      await cluster.setStatus('Pod', 'apps', pod.metadata.name, { phase: 'Succeeded' });
      await eventually(async () =>
        assert.ok(
          (await cluster.backupPods('apps', 'barrier')).some((p) => p.metadata.name !== pod.metadata.name),
        ),
      );
    };
    await theOne(() => cluster.backupPods('apps', 'barrier'));

    await cluster.boundClaim('apps', 'existing', { annotations: BACKED_UP });
    const backup = await theOne(() => cluster.backupPods('apps', 'existing'));
    await cluster.setStatus('Pod', 'apps', backup.metadata.name, { phase: 'Running' });
    await cluster.annotate('PersistentVolumeClaim', 'apps', 'existing', {
      'cairn.io/restore-from': 'existing',
      'cairn.io/restore-snapshot': 'b1b2c3d4e5f60718',
    });
    const problems = () =>
      log.lines.filter((line) => line.claim === 'existing' && line.problem).map((line) => line.problem);
    await eventually(() =>
      assert.ok(
        problems().includes(
          `the restore waits for backup ${backup.metadata.labels['cairn.io/run']} of the PVC to end`,
        ),
      ),
    );
    assert.deepEqual(
      await cluster.restorePods('apps', 'existing'),
      [],
      'not under a backup reading the volume',
    );

    await cluster.setStatus('Pod', 'apps', backup.metadata.name, { phase: 'Succeeded' });
    const first = await theOne(() => cluster.restorePods('apps', 'existing'));
    assert.equal(snapshotOf(first), 'b1b2c3d4e5f60718');
    assert.deepEqual(first.spec.volumes.find((v) => v.name === 'volume').persistentVolumeClaim, {
      claimName: 'existing',
    });
    assert.equal(
      first.spec.containers[0].volumeMounts.find((m) => m.name === 'volume').mountPath,
      '/restore/volumes/apps/existing',
    );
    await cluster.setStatus('Pod', 'apps', first.metadata.name, { phase: 'Running' });
    await barrier();
    assert.deepEqual(
      (await cluster.backupPods('apps', 'existing')).map((pod) => pod.metadata.name),
      [backup.metadata.name],
      'no backup of a volume half restored, though its schedule fires every second',
    );

    await cluster.setStatus('Pod', 'apps', first.metadata.name, { phase: 'Succeeded' });
    const after = await eventually(async () => {
      const pod = (await cluster.backupPods('apps', 'existing')).find(
        (p) => p.metadata.name !== backup.metadata.name,
      );
      assert.ok(pod, 'backups again once restored');
      return pod;
    });

    // Another snapshot into the same PVC: a second restore, once the backup under way has ended.
    await cluster.annotate('PersistentVolumeClaim', 'apps', 'existing', {
      'cairn.io/restore-snapshot': 'c1b2c3d4e5f60718',
    });
    await cluster.setStatus('Pod', 'apps', after.metadata.name, { phase: 'Succeeded' });
    const second = await eventually(async () => {
      const pods = await cluster.restorePods('apps', 'existing');
      assert.deepEqual(pods.map(snapshotOf), ['c1b2c3d4e5f60718'], 'the earlier restore’s pod removed');
      return pods[0];
    });
    assert.notEqual(second.metadata.name, first.metadata.name);
  });

  test('creating what exists answers 409, which the repository takes as "made before"', async () => {
    const client = new KubeClient({ server: kube.base, tokenFile: token, ca: kube.ca }, silentLogger());
    const repository = new KubeClusterRepository(
      client,
      { namespaces: ['apps'], snapshots: false, watchTimeoutS: 2 },
      silentLogger(),
    );
    const [pod] = await cluster.backupPods('apps', 'data');
    const { metadata, spec } = pod;
    const copy = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: metadata.name,
        namespace: 'apps',
        labels: metadata.labels,
        annotations: metadata.annotations,
      },
      spec,
    };
    assert.equal(await repository.create(copy), 'exists');
    assert.equal((await cluster.backupPods('apps', 'data')).length, 1);
  });

  test('a second controller at the same time makes no second pod for any run', async () => {
    const second = new Log();
    const twin = await main(await controllerEnv(), { logDestination: second });
    try {
      await cluster.boundClaim('apps', 'twice', { annotations: BACKED_UP });
      await eventually(async () => assert.equal((await cluster.backupPods('apps', 'twice')).length, 1));
      // Both reconcile it every 200 ms. The second may say nothing about it: it asks the API server
      // for the PVC's runs before it starts one, and finds the first's pod. What must hold for any
      // number of rounds is that no second pod appears, so give them about ten.
      await sleep(2000);
      const pods = await cluster.backupPods('apps', 'twice');
      const runs = pods.map((pod) => pod.metadata.labels['cairn.io/run']);
      assert.equal(new Set(runs).size, runs.length);
      assert.equal(pods.length, 1, 'the run is not finished: no second one starts');
      assert.ok(
        !second.lines.some((line) => line.level >= 50),
        JSON.stringify(second.lines.filter((l) => l.level >= 50)),
      );
    } finally {
      await twin.close();
    }
  });

  test('a watch whose resource version etcd has compacted (410 Gone): the controller lists again and carries on', async () => {
    const before = log.lines.length;
    // Move etcd's revision past every watch's, then compact it all away.
    await cluster.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bump', namespace: 'cairn' },
    });
    const range = await fetch(`${kube.etcdUrl}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: Buffer.from('/').toString('base64') }),
    }).then((response) => response.json());
    const compacted = await fetch(`${kube.etcdUrl}/v3/kv/compaction`, {
      method: 'POST',
      body: JSON.stringify({ revision: range.header.revision, physical: true }),
    });
    assert.equal(compacted.status, 200);
    await eventually(() =>
      assert.ok(
        log.lines.slice(before).some((line) => line.msg === 'watch expired (410 Gone); listing again'),
      ),
    );
    await cluster.boundClaim('apps', 'after-compaction', { annotations: BACKED_UP });
    await eventually(async () =>
      assert.equal((await cluster.backupPods('apps', 'after-compaction')).length, 1),
    );
  });

  test('with no NATS to reach the catalog, every pod above was made all the same, and that was said once', () => {
    const unreachable = log.lines.filter((line) => /^the catalog cannot be reached/.test(line.msg));
    assert.equal(unreachable.length, 1, JSON.stringify(unreachable));
    assert.match(unreachable[0].err, /cannot connect to NATS/);
  });

  test('throttled by the API server (429): the controller waits and makes the pod once it may', async () => {
    const isCreate = (request) => request.method === 'POST' && request.url === '/api/v1/namespaces/apps/pods';
    proxy.state.throttled = isCreate;
    const before = log.lines.length;
    await cluster.boundClaim('apps', 'throttled', { annotations: BACKED_UP });
    await eventually(() => assert.ok(proxy.state.refused >= 2, 'asked again after the first 429'));
    assert.ok(
      log.lines.slice(before).some((line) => line.msg === 'the API server is throttling (429); waiting'),
    );
    assert.equal((await cluster.backupPods('apps', 'throttled')).length, 0);
    proxy.state.throttled = () => false;
    await eventually(async () => assert.equal((await cluster.backupPods('apps', 'throttled')).length, 1));
    assert.ok(
      !log.lines.slice(before).some((line) => line.msg === 'reconcile failed'),
      'waited, did not fail',
    );
  });
});

const silentLogger = () => createLogger('test', 'silent');
