// The volume controller with a VolumeSnapshotClass, in a real kube-apiserver that serves the CSI
// VolumeSnapshot API (a CRD the suite installs; no snapshot controller runs, so the suite marks a
// snapshot ready as one would): snapshot → temporary PVC from it → backup pod reading that, then the
// snapshot and the temporary PVC are removed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { goTool } from '../support/go-tools.mjs';
import { startKubeApiserver } from '../support/kube-apiserver.mjs';
import { freePort } from '../support/services.mjs';
import { main } from '../../services/volume-controller/dist/src/main.js';
import { Cluster, controllerRbac, eventually, theOne } from './cluster.mjs';

const KUBE_APISERVER = goTool('kube-apiserver');
const MANAGED = 'app.kubernetes.io/managed-by=cairn-volume-controller';

/** The VolumeSnapshot kind as the CSI external-snapshotter's CRD defines it (the fields used here). */
const VOLUME_SNAPSHOT_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'volumesnapshots.snapshot.storage.k8s.io',
    // *.k8s.io groups are Kubernetes' own: a CRD there names where its API was approved.
    annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter' },
  },
  spec: {
    group: 'snapshot.storage.k8s.io',
    scope: 'Namespaced',
    names: {
      kind: 'VolumeSnapshot',
      listKind: 'VolumeSnapshotList',
      plural: 'volumesnapshots',
      singular: 'volumesnapshot',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['source'],
                properties: {
                  volumeSnapshotClassName: { type: 'string' },
                  source: {
                    type: 'object',
                    properties: {
                      persistentVolumeClaimName: { type: 'string' },
                      volumeSnapshotContentName: { type: 'string' },
                    },
                  },
                },
              },
              status: {
                type: 'object',
                properties: {
                  boundVolumeSnapshotContentName: { type: 'string' },
                  creationTime: { type: 'string', format: 'date-time' },
                  readyToUse: { type: 'boolean' },
                  restoreSize: { 'x-kubernetes-int-or-string': true },
                  error: {
                    type: 'object',
                    properties: {
                      message: { type: 'string' },
                      time: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('the volume controller with a VolumeSnapshotClass', () => {
  let kube, cluster, dir, controller, source;
  const managed = (kind) => cluster.list(kind, 'snaps', MANAGED);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-volume-snapshots-'));
    kube = await startKubeApiserver({ binary: KUBE_APISERVER });
    cluster = new Cluster(kube);
    await cluster.create(VOLUME_SNAPSHOT_CRD);
    await eventually(async () =>
      assert.equal((await kube.request('GET', '/apis/snapshot.storage.k8s.io/v1')).status, 200),
    );
    await cluster.namespace('cairn');
    // The whole namespace is backed up: the temporary PVCs the controller makes there must not be.
    await cluster.namespace('snaps', {
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline' },
      annotations: { 'cairn.io/backup': 'true', 'cairn.io/schedule': '* * * * * *' },
    });
    await cluster.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } });
    const rbac = controllerRbac('snap', {
      'controller.namespaces': '{snaps}',
      'controller.volumeSnapshotClass': 'csi-snapclass',
    });
    for (const object of rbac) await cluster.create(object);
    source = await cluster.boundClaim('snaps', 'db');
    await cluster.podOnNode('snaps', 'database', 'node-a', 'db');
    controller = await main({
      CAIRN_KUBE_API_URL: kube.base,
      CAIRN_KUBE_TOKEN_FILE: await cluster.tokenFile('cairn', 'snap-cairn-volume-controller', dir),
      CAIRN_KUBE_CA_FILE: kube.caFile,
      CAIRN_CONTROLLER_NAMESPACES: 'snaps',
      CAIRN_VOLUME_SNAPSHOT_CLASS: 'csi-snapclass',
      CAIRN_CONTROLLER_RESYNC_MS: '200',
      CAIRN_CONTROLLER_BIND: '127.0.0.1',
      CAIRN_CONTROLLER_HEALTH_PORT: String(await freePort()),
      CAIRN_METRICS_PORT: '0',
      // No catalog here (volume-runs.test.mjs has one): the runs go unrecorded, which is logged once.
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
      CAIRN_LOG_LEVEL: 'warn',
    });
  });
  after(async () => {
    await controller?.close();
    await kube?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let snapshot, copy;

  test('a due volume gets a VolumeSnapshot of its class, owned by the PVC; nothing reads it before it is ready', async () => {
    snapshot = await theOne(() => managed('VolumeSnapshot'));
    assert.deepEqual(snapshot.spec, {
      volumeSnapshotClassName: 'csi-snapclass',
      source: { persistentVolumeClaimName: 'db' },
    });
    assert.deepEqual(snapshot.metadata.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: 'db',
        uid: source.metadata.uid,
        controller: true,
      },
    ]);
    assert.deepEqual(await managed('PersistentVolumeClaim'), []);
    assert.deepEqual(await managed('Pod'), []);
  });

  test('once ready: a temporary PVC from the snapshot, and a backup pod that mounts it read-only, on any node', async () => {
    await cluster.setStatus('VolumeSnapshot', 'snaps', snapshot.metadata.name, {
      readyToUse: true,
      restoreSize: '5Gi',
    });
    copy = await theOne(() => managed('PersistentVolumeClaim'));
    assert.deepEqual(copy.spec.dataSource, {
      apiGroup: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshot',
      name: snapshot.metadata.name,
    });
    assert.equal(copy.spec.storageClassName, 'standard');
    assert.deepEqual(copy.spec.resources.requests, { storage: '5Gi' });
    assert.equal(copy.metadata.ownerReferences[0].uid, source.metadata.uid);
    const pod = await theOne(() => managed('Pod'));
    assert.deepEqual(pod.spec.volumes.find((v) => v.name === 'volume').persistentVolumeClaim, {
      claimName: copy.metadata.name,
      readOnly: true,
    });
    const [container] = pod.spec.containers;
    assert.equal(
      container.volumeMounts.find((m) => m.name === 'volume').mountPath,
      '/volumes/snaps/db',
      "the source's snapshot line",
    );
    assert.equal(pod.spec.affinity, undefined, 'a volume new from a snapshot is attached nowhere yet');
    assert.equal(pod.metadata.annotations['cairn.io/claim'], 'db');
  });

  test('when the backup pod has finished, its snapshot and temporary PVC go; the next fire starts the next snapshot', async () => {
    const [pod] = await managed('Pod');
    await cluster.setStatus('Pod', 'snaps', pod.metadata.name, { phase: 'Succeeded' });
    await eventually(async () => {
      assert.equal(await cluster.get('VolumeSnapshot', 'snaps', snapshot.metadata.name), undefined);
      // PVC protection keeps a deleted PVC until no pod uses it (no controller-manager runs here to lift it).
      const left = await cluster.get('PersistentVolumeClaim', 'snaps', copy.metadata.name);
      assert.ok(left === undefined || left.metadata.deletionTimestamp, 'the temporary PVC is deleted');
    });
    const next = await theOne(() => managed('VolumeSnapshot'));
    assert.notEqual(next.metadata.name, snapshot.metadata.name);
    assert.ok(
      next.metadata.annotations['cairn.io/scheduled-at'] >
        snapshot.metadata.annotations['cairn.io/scheduled-at'],
    );
    const claims = await cluster.list('PersistentVolumeClaim', 'snaps');
    const sources = claims.filter((claim) => !claim.metadata.labels?.['app.kubernetes.io/managed-by']);
    assert.deepEqual(
      sources.map((claim) => claim.metadata.name),
      ['db'],
    );
    const snapshotsOfCopies = (await managed('VolumeSnapshot')).filter(
      (s) => s.spec.source.persistentVolumeClaimName !== 'db',
    );
    assert.deepEqual(snapshotsOfCopies, [], 'a temporary PVC is never a source');
  });
});
