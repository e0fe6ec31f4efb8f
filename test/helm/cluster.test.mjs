// The chart in a real kube-apiserver (test/support/kube-apiserver.mjs): each object rendered from
// every ci/*-values.yaml passes a dry-run create with strict field validation, as with
// `kubectl apply --dry-run=server` (the ServiceMonitor and PrometheusRule against the Prometheus
// Operator's own CRDs, test/support/prometheus-crds.mjs); then a real `helm install`, `upgrade` and `uninstall` with each
// Helm keep the generated secrets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { goTool } from '../support/go-tools.mjs';
import { startKubeApiserver } from '../support/kube-apiserver.mjs';
import { prometheusOperatorCrds } from '../support/prometheus-crds.mjs';
import { CHART, CI_VALUES, HELMS, PROMETHEUS_OPERATOR, helm, render } from './chart.mjs';

// Built (or taken from the cache) before any test starts: on a cold cache the build outlasts a test's timeout.
const KUBE_APISERVER = goTool('kube-apiserver');
const PROMETHEUS_CRDS = prometheusOperatorCrds(['servicemonitors', 'prometheusrules']);

describe('the rendered objects in a real kube-apiserver', () => {
  let kube;
  before(async () => {
    kube = await startKubeApiserver({ binary: KUBE_APISERVER });
    for (const name of ['cairn', 'helm3', 'helm4']) {
      const { status } = await kube.request('POST', '/api/v1/namespaces', { metadata: { name } });
      assert.equal(status, 201);
      // No controller-manager makes a namespace's default ServiceAccount, which pods are admitted against.
      const account = await kube.request('POST', `/api/v1/namespaces/${name}/serviceaccounts`, {
        metadata: { name: 'default' },
      });
      assert.equal(account.status, 201);
    }
    // The Prometheus Operator's CRDs, so that the ServiceMonitor and PrometheusRule are validated too.
    for (const crd of PROMETHEUS_CRDS) {
      const created = await kube.request(
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        crd,
      );
      assert.equal(created.status, 201, created.body?.message);
    }
    await established(PROMETHEUS_CRDS.map((crd) => crd.metadata.name));
  });
  after(() => kube?.stop());

  /** Waits until the API serves each CRD (its Established condition). */
  async function established(names) {
    for (const name of names) {
      for (let attempt = 0; ; attempt++) {
        const { body } = await kube.request(
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
        );
        if (body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
        assert.ok(attempt < 600, `CRD ${name} is not established: ${JSON.stringify(body.status)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Where the API serves a kind: `/api/v1/namespaces/cairn/services`, … (discovery, cached). */
  const discovered = new Map();
  async function collectionPath(object) {
    const group = object.apiVersion.includes('/')
      ? `/apis/${object.apiVersion}`
      : `/api/${object.apiVersion}`;
    if (!discovered.has(group))
      discovered.set(group, (await kube.request('GET', group)).body?.resources ?? []);
    const resource = discovered.get(group).find((r) => r.kind === object.kind && !r.name.includes('/'));
    if (!resource) return undefined;
    return resource.namespaced ? `${group}/namespaces/cairn/${resource.name}` : `${group}/${resource.name}`;
  }

  test('the validation refuses what a chart can get wrong: a misspelt field, a bad value, in built-in kinds and the CRDs’', async () => {
    const deployment = render(HELMS['Helm 4']).find((object) => object.kind === 'Deployment');
    const path = `${await collectionPath(deployment)}?dryRun=All&fieldValidation=Strict`;
    const misspelt = structuredClone(deployment);
    misspelt.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    const unknown = await kube.request('POST', path, misspelt);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /unknown field .*readOnlyRootFileSystem/);
    const invalid = structuredClone(deployment);
    invalid.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    assert.equal((await kube.request('POST', path, invalid)).status, 400);
    // The same for the Prometheus Operator's kinds, through their CRDs' schemas.
    const monitor = render(HELMS['Helm 4'], 'full-values.yaml', ...PROMETHEUS_OPERATOR).find(
      (object) => object.kind === 'ServiceMonitor',
    );
    monitor.spec.endpoints[0].intervall = '1m';
    const refused = await kube.request(
      'POST',
      `${await collectionPath(monitor)}?dryRun=All&fieldValidation=Strict`,
      monitor,
    );
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /unknown field .*intervall/);
  });

  for (const valuesFile of CI_VALUES) {
    test(`every object of ci/${valuesFile} is valid Kubernetes (dry-run create, strict fields)`, async () => {
      const objects = render(HELMS['Helm 4'], valuesFile, ...PROMETHEUS_OPERATOR);
      for (const object of objects) {
        const path = await collectionPath(object);
        assert.ok(path, `the API serves ${object.apiVersion} ${object.kind}`);
        const { status, body } = await kube.request(
          'POST',
          `${path}?dryRun=All&fieldValidation=Strict`,
          object,
        );
        assert.ok(
          status === 201 || status === 200,
          `${object.kind} ${object.metadata.name}: ${status} ${body?.message}`,
        );
      }
    });
  }

  for (const [helmName, binary] of Object.entries(HELMS)) {
    test(`${helmName}: helm install; helm upgrade and helm uninstall keep the generated secret key and admin password`, async () => {
      const namespace = helmName === 'Helm 4' ? 'helm4' : 'helm3';
      const env = { KUBECONFIG: kube.kubeconfig };
      const install = helm(binary, ['install', 'backup', CHART, '--namespace', namespace], env);
      assert.equal(install.status, 0, install.stderr);
      assert.match(install.stdout, /get secret backup-cairn/, 'NOTES say where the admin password is');
      const secret = async () =>
        (await kube.request('GET', `/api/v1/namespaces/${namespace}/secrets/backup-cairn`)).body.data;
      const first = await secret();
      assert.ok(first['secret-key'] && first['admin-password']);
      const upgrade = helm(
        binary,
        ['upgrade', 'backup', CHART, '--namespace', namespace, '--set', 'cairn.logLevel=debug'],
        env,
      );
      assert.equal(upgrade.status, 0, upgrade.stderr);
      assert.deepEqual(await secret(), first);
      const { body } = await kube.request(
        'GET',
        `/apis/apps/v1/namespaces/${namespace}/deployments/backup-cairn-catalog`,
      );
      const logLevel = body.spec.template.spec.containers[0].env.find((e) => e.name === 'CAIRN_LOG_LEVEL');
      assert.equal(logLevel.value, 'debug', 'the upgrade reached the cluster');
      const uninstall = helm(binary, ['uninstall', 'backup', '--namespace', namespace], env);
      assert.equal(uninstall.status, 0, uninstall.stderr);
      assert.deepEqual(await secret(), first, 'helm uninstall leaves the secret key behind');
    });
  }
});
