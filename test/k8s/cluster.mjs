// What the volume controller's suites do in a real kube-apiserver (test/support/kube-apiserver.mjs)
// where no kubelet, scheduler or controller-manager runs: they play those parts by hand (bind a
// PVC, finish a pod, make a snapshot ready) and create objects as an admin.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { eventually as eventuallyWithin } from '../support/eventually.mjs';
import { CHART, HELMS, helm } from '../helm/chart.mjs';
import { parseAllDocuments } from 'yaml';

/** Where the API keeps each kind the suites create. */
const COLLECTIONS = {
  Namespace: ['/api/v1', 'namespaces', false],
  Node: ['/api/v1', 'nodes', false],
  PersistentVolume: ['/api/v1', 'persistentvolumes', false],
  PersistentVolumeClaim: ['/api/v1', 'persistentvolumeclaims', true],
  Pod: ['/api/v1', 'pods', true],
  ServiceAccount: ['/api/v1', 'serviceaccounts', true],
  ConfigMap: ['/api/v1', 'configmaps', true],
  ClusterRole: ['/apis/rbac.authorization.k8s.io/v1', 'clusterroles', false],
  ClusterRoleBinding: ['/apis/rbac.authorization.k8s.io/v1', 'clusterrolebindings', false],
  Role: ['/apis/rbac.authorization.k8s.io/v1', 'roles', true],
  RoleBinding: ['/apis/rbac.authorization.k8s.io/v1', 'rolebindings', true],
  CustomResourceDefinition: ['/apis/apiextensions.k8s.io/v1', 'customresourcedefinitions', false],
  VolumeSnapshot: ['/apis/snapshot.storage.k8s.io/v1', 'volumesnapshots', true],
  FlowSchema: ['/apis/flowcontrol.apiserver.k8s.io/v1', 'flowschemas', false],
  PriorityLevelConfiguration: ['/apis/flowcontrol.apiserver.k8s.io/v1', 'prioritylevelconfigurations', false],
};

export function path(kind, namespace, name) {
  const [api, plural, namespaced] = COLLECTIONS[kind];
  const collection = namespaced ? `${api}/namespaces/${namespace}/${plural}` : `${api}/${plural}`;
  return name ? `${collection}/${name}` : collection;
}

export class Cluster {
  constructor(kube) {
    this.kube = kube;
  }

  async create(object) {
    const { status, body } = await this.kube.request(
      'POST',
      path(object.kind, object.metadata.namespace, undefined),
      object,
    );
    assert.equal(status, 201, `${object.kind} ${object.metadata.name}: ${status} ${body?.message}`);
    return body;
  }

  async get(kind, namespace, name) {
    const { status, body } = await this.kube.request('GET', path(kind, namespace, name));
    return status === 200 ? body : undefined;
  }

  async list(kind, namespace, labelSelector = '') {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const { status, body } = await this.kube.request('GET', `${path(kind, namespace)}${query}`);
    assert.equal(status, 200, body?.message);
    return body.items;
  }

  /** The controller's pods for a PVC: a backup's carry `cairn.io/run`, a restore's `cairn.io/restore-uid`. */
  async controllerPods(namespace, claim, label) {
    const pods = await this.list(
      'Pod',
      namespace,
      `app.kubernetes.io/managed-by=cairn-volume-controller,${label}`,
    );
    return pods.filter((pod) => pod.metadata.annotations['cairn.io/claim'] === claim);
  }

  backupPods(namespace, claim) {
    return this.controllerPods(namespace, claim, 'cairn.io/run');
  }

  restorePods(namespace, claim) {
    return this.controllerPods(namespace, claim, 'cairn.io/restore-uid');
  }

  async delete(kind, namespace, name) {
    const { status, body } = await this.kube.request('DELETE', path(kind, namespace, name));
    assert.ok(status === 200 || status === 202, `${kind} ${name}: ${status} ${body?.message}`);
  }

  /** Sets an object's status as its controller would (the kubelet, the PV binder, the snapshotter). */
  async setStatus(kind, namespace, name, status) {
    const object = await this.get(kind, namespace, name);
    const answer = await this.kube.request('PUT', `${path(kind, namespace, name)}/status`, {
      ...object,
      status: { ...object.status, ...status },
    });
    assert.equal(answer.status, 200, answer.body?.message);
  }

  /** Adds annotations to an object, as `kubectl annotate` does. */
  async annotate(kind, namespace, name, annotations) {
    const object = await this.get(kind, namespace, name);
    object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
    const answer = await this.kube.request('PUT', path(kind, namespace, name), object);
    assert.equal(answer.status, 200, answer.body?.message);
  }

  /** What the kubelet reports of a pod's one container as it runs since `startedAt`. */
  async runPod(namespace, name, startedAt) {
    const pod = await this.get('Pod', namespace, name);
    await this.setStatus('Pod', namespace, name, {
      phase: 'Running',
      startTime: startedAt,
      containerStatuses: [containerStatus(pod, { running: { startedAt } })],
    });
  }

  /** What the kubelet reports of a pod whose one container exited with `exitCode`. */
  async endPod(namespace, name, { exitCode, startedAt, finishedAt, message }) {
    const pod = await this.get('Pod', namespace, name);
    await this.setStatus('Pod', namespace, name, {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      startTime: startedAt,
      containerStatuses: [
        containerStatus(pod, {
          terminated: {
            exitCode,
            reason: exitCode === 0 ? 'Completed' : 'Error',
            startedAt,
            finishedAt,
            ...(message ? { message } : {}),
          },
        }),
      ],
    });
  }

  /** A namespace with the `default` ServiceAccount pods are admitted against. */
  async namespace(name, { labels = {}, annotations = {} } = {}) {
    await this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
    await this.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: name },
    });
  }

  /** A PV and a PVC bound to it, as the PV controller would leave them. */
  async boundClaim(
    namespace,
    name,
    { accessModes = ['ReadWriteOnce'], annotations = {}, nodeAffinity } = {},
  ) {
    const volume = `pv-${namespace}-${name}`;
    const claim = await this.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace, annotations },
      spec: {
        accessModes,
        storageClassName: 'standard',
        volumeName: volume,
        resources: { requests: { storage: '1Gi' } },
      },
    });
    await this.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volume },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes,
        storageClassName: 'standard',
        claimRef: { namespace, name, uid: claim.metadata.uid },
        csi: { driver: 'disk.csi.example.com', volumeHandle: volume },
        ...(nodeAffinity ? { nodeAffinity: { required: { nodeSelectorTerms: nodeAffinity } } } : {}),
      },
    });
    await this.setStatus('PersistentVolumeClaim', namespace, name, {
      phase: 'Bound',
      accessModes,
      capacity: { storage: '1Gi' },
    });
    return this.get('PersistentVolumeClaim', namespace, name);
  }

  /** An application's pod, already on `node`, mounting `claim`. */
  async podOnNode(namespace, name, node, claim, tolerations = []) {
    return this.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace },
      spec: {
        nodeName: node,
        tolerations,
        containers: [
          { name: 'app', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      },
    });
  }

  /** A token of a ServiceAccount (the TokenRequest API), in a file as a pod would have it. */
  async tokenFile(namespace, account, dir) {
    const { status, body } = await this.kube.request(
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    );
    assert.equal(status, 201, body?.message);
    const file = join(dir, `${account}.token`);
    writeFileSync(file, body.status.token, { mode: 0o600 });
    return file;
  }

  /** Whether a user may do something, as the API server's authorizer decides (a SubjectAccessReview). */
  async allowed(user, attributes) {
    const { status, body } = await this.kube.request(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user, resourceAttributes: attributes },
      },
    );
    assert.equal(status, 201, body?.message);
    return body.status.allowed;
  }
}

const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

/** The chart's objects for the volume controller's rights (its ServiceAccount and RBAC), rendered by Helm 4. */
export function controllerRbac(release, values) {
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const result = helm(HELMS['Helm 4'], [
    'template',
    release,
    CHART,
    '--namespace',
    'cairn',
    '--set',
    'controller.enabled=true',
    ...sets,
  ]);
  assert.equal(result.status, 0, result.stderr);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJSON())
    .filter(
      (object) =>
        object &&
        RBAC_KINDS.has(object.kind) &&
        object.metadata?.labels?.['app.kubernetes.io/component'] === 'volume-controller',
    )
    .map((object) =>
      // What Helm installs into the release's namespace names none in the template.
      COLLECTIONS[object.kind]?.[2] && !object.metadata.namespace
        ? { ...object, metadata: { ...object.metadata, namespace: 'cairn' } }
        : object,
    );
}

/**
 * An HTTPS proxy in front of the API server, with the server's own certificate, that answers as an
 * overloaded API server does (429 Too Many Requests, a Retry-After and a Status) to the requests
 * `throttled` picks, and passes everything else through, watches included. A real kube-apiserver
 * only refuses under a load no test can make on purpose: API Priority and Fairness still lets a
 * request through whenever its level has nothing else executing.
 */
export async function throttlingProxy(kube, certDir) {
  const upstream = new URL(kube.base);
  const state = { throttled: () => false, refused: 0 };
  const server = createHttpsServer(
    { cert: readFileSync(join(certDir, 'apiserver.crt')), key: readFileSync(join(certDir, 'apiserver.key')) },
    (request, response) => {
      if (state.throttled(request)) {
        state.refused++;
        const status = {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'Too many requests, please try again later.',
          reason: 'TooManyRequests',
          code: 429,
        };
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return void response.end(JSON.stringify(status));
      }
      const forward = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
          ca: kube.ca,
        },
        (answer) => {
          response.writeHead(answer.statusCode, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.destroy());
      response.on('close', () => forward.destroy());
      request.pipe(forward);
    },
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `https://127.0.0.1:${server.address().port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The controller resyncs every 200 ms; 30 s is patience for a loaded machine, not a timing claim. */
export const eventually = (check) => eventuallyWithin(check, 30_000);

/** Waits until `list` resolves to exactly one object; resolves to it. */
export const theOne = (list) =>
  eventually(async () => {
    const objects = await list();
    assert.equal(objects.length, 1);
    return objects[0];
  });

function containerStatus(pod, state) {
  const [container] = pod.spec.containers;
  return {
    name: container.name,
    image: container.image,
    imageID: '',
    ready: state.running !== undefined,
    restartCount: 0,
    state,
  };
}
