// The chart in a real kube-apiserver (test/support/kube-apiserver.mjs): each object rendered from
// every ci/*-values.yaml passes a dry-run create with strict field validation, as with
// `kubectl apply --dry-run=server`; then a real `helm install`, `upgrade` and `uninstall` with each
// Helm keep the generated secrets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { goTool } from '../support/go-tools.mjs';
import { startKubeApiserver } from '../support/kube-apiserver.mjs';
import {
  CHART,
  CI_VALUES,
  HELMS,
  PROMETHEUS_OPERATOR,
  PROMETHEUS_RULE_API,
  SERVICE_MONITOR_API,
  helm,
  render,
} from './chart.mjs';

// Built (or taken from the cache) before any test starts: on a cold cache the build outlasts a test's timeout.
const KUBE_APISERVER = goTool('kube-apiserver');

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
  });
  after(() => kube?.stop());

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

  test('the validation refuses what a chart can get wrong: a misspelt field, a bad value', async () => {
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
  });

  for (const valuesFile of CI_VALUES) {
    test(`every object of ci/${valuesFile} is valid Kubernetes (dry-run create, strict fields)`, async () => {
      const objects = render(HELMS['Helm 4'], valuesFile, ...PROMETHEUS_OPERATOR);
      for (const object of objects) {
        const path = await collectionPath(object);
        if (!path) {
          // No Prometheus Operator in this server: its CRDs are the only APIs the chart may use that are not built in.
          assert.ok(
            [SERVICE_MONITOR_API, PROMETHEUS_RULE_API].includes(`${object.apiVersion}/${object.kind}`),
          );
          continue;
        }
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
