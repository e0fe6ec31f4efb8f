// The Helm chart (helm/cairn) with Helm 4 and Helm 3, both built from their Go modules: lint and
// render every ci/*-values.yaml, refuse bad values in words, and render what a cluster needs.
// (cluster.test.mjs has a real kube-apiserver validate and install what is rendered here.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sourceText } from '../deploy/project.mjs';
import { CHART, CI_VALUES, HELMS, SERVICE_MONITOR_API, TEMPLATE, helm, render } from './chart.mjs';
import { join } from 'node:path';

const CAIRN_SERVICES = ['gateway', 'catalog', 'scheduler', 'notifier', 'runner'];
// Set by the chart for the NATS users it prepares (nats.auth), before any service logs in with them.
const NOT_YET_READ = new Set(['NATS_USER', 'NATS_PASSWORD']);

const podSpec = (object) => object.spec?.template?.spec ?? (object.kind === 'Pod' ? object.spec : undefined);

for (const [helmName, binary] of Object.entries(HELMS)) {
  describe(`the chart with ${helmName}`, () => {
    for (const valuesFile of CI_VALUES) {
      test(`helm lint --strict passes with ci/${valuesFile}`, () => {
        const result = helm(binary, ['lint', '--strict', CHART, '-f', join(CHART, 'ci', valuesFile)]);
        assert.equal(result.status, 0, result.stdout + result.stderr);
      });
    }

    test('values.schema.json refuses bad values, naming the value', () => {
      assert.equal(helm(binary, TEMPLATE).status, 0, 'the defaults render');
      for (const [set, named] of [
        ['runner.concurrency=0', 'concurrency'],
        ['cairn.logLevel=loud', 'logLevel'],
        ['gateway.replicas=-1', 'replicas'],
        ['ingress.hosts[0]=https://cairn.example.com', 'hosts'],
        ['controller.namespaces[0]=Not_A_Namespace', 'namespaces'],
        ['controller.backupPod.runAsUser=-1', 'runAsUser'],
      ]) {
        const result = helm(binary, [...TEMPLATE, '--set', set]);
        assert.notEqual(result.status, 0, `--set ${set} was accepted`);
        assert.match(result.stderr, new RegExp(named), result.stderr);
      }
    });

    test('an external NATS or PostgreSQL without its address is refused in words', () => {
      const nats = helm(binary, [...TEMPLATE, '--set', 'nats.enabled=false']);
      assert.notEqual(nats.status, 0);
      assert.match(nats.stderr, /nats\.url is required when nats\.enabled is false/);
      const database = helm(binary, [...TEMPLATE, '--set', 'postgresql.enabled=false']);
      assert.notEqual(database.status, 0);
      assert.match(database.stderr, /externalDatabase\.url or externalDatabase\.existingSecret is required/);
      const ingress = helm(binary, [...TEMPLATE, '--set', 'ingress.enabled=true']);
      assert.notEqual(ingress.status, 0);
      assert.match(ingress.stderr, /ingress\.hosts needs at least one host name/);
    });

    test('the ServiceMonitor is rendered only where the Prometheus Operator API exists', () => {
      const kinds = (objects) => objects.map((object) => object.kind);
      assert.ok(!kinds(render(binary, 'full-values.yaml')).includes('ServiceMonitor'));
      const withApi = render(binary, 'full-values.yaml', '--api-versions', SERVICE_MONITOR_API);
      assert.ok(kinds(withApi).includes('ServiceMonitor'));
    });
  });
}

describe('what the chart renders', () => {
  const binary = HELMS['Helm 4'];

  test('the whole stack: every Cairn service, NATS with a volume, PostgreSQL with a volume, the test hook', () => {
    const objects = render(binary);
    const names = (kind) =>
      objects.filter((object) => object.kind === kind).map((object) => object.metadata.name);
    assert.deepEqual(names('Deployment').sort(), CAIRN_SERVICES.map((name) => `backup-cairn-${name}`).sort());
    assert.deepEqual(names('StatefulSet').sort(), ['backup-cairn-nats', 'backup-cairn-postgresql']);
    for (const set of objects.filter((object) => object.kind === 'StatefulSet')) {
      assert.equal(set.spec.volumeClaimTemplates[0].metadata.name, 'data');
    }
    const nats = objects.find((object) => object.kind === 'ConfigMap');
    assert.match(nats.data['nats.conf'], /jetstream \{\s+store_dir: \/data/);
    const hook = objects.find((object) => object.metadata.annotations?.['helm.sh/hook'] === 'test');
    assert.deepEqual(hook.spec.containers[0].args, ['health', 'gateway']);
  });

  test('every Cairn container runs its own service, non-root, read-only, with no privileges, limits and probes', () => {
    for (const valuesFile of CI_VALUES) {
      for (const object of render(binary, valuesFile)) {
        const spec = podSpec(object);
        if (!spec) continue;
        const where = `${valuesFile}: ${object.kind} ${object.metadata.name}`;
        assert.equal(spec.securityContext.runAsNonRoot, true, where);
        assert.equal(spec.securityContext.seccompProfile.type, 'RuntimeDefault', where);
        const component = object.metadata.labels['app.kubernetes.io/component'];
        // Only the volume controller talks to the Kubernetes API.
        assert.equal(spec.automountServiceAccountToken, component === 'volume-controller', where);
        for (const container of spec.containers) {
          assert.equal(container.securityContext.allowPrivilegeEscalation, false, where);
          assert.equal(container.securityContext.readOnlyRootFilesystem, true, where);
          assert.deepEqual(container.securityContext.capabilities.drop, ['ALL'], where);
          assert.ok(container.resources.limits.memory, `${where}: a memory limit`);
          if (object.kind === 'Pod') continue;
          assert.ok(container.livenessProbe && container.startupProbe, `${where}: probes`);
        }
        if (object.kind === 'Deployment') assert.deepEqual(spec.containers[0].args, [component], where);
      }
    }
  });

  test('the volume controller: off by default; on, rights to pods and PVCs only where it backs up, never to Secrets or exec', () => {
    const component = (object) => object.metadata.labels?.['app.kubernetes.io/component'];
    assert.deepEqual(
      render(binary).filter((object) => component(object) === 'volume-controller'),
      [],
    );
    const rules = (objects) => objects.filter((object) => object.rules).flatMap((object) => object.rules);
    for (const valuesFile of CI_VALUES) {
      for (const rule of rules(render(binary, valuesFile))) {
        assert.ok(!rule.resources.some((r) => r === 'secrets' || r.includes('/')), JSON.stringify(rule));
        assert.ok(!rule.verbs.some((verb) => ['*', 'update', 'patch', 'escalate', 'bind'].includes(verb)));
      }
    }
    const listed = render(
      binary,
      undefined,
      '--set',
      'controller.enabled=true',
      '--set',
      'controller.namespaces={apps,db}',
    );
    const roles = listed.filter((object) => object.kind === 'Role');
    assert.deepEqual(
      roles.map((role) => role.metadata.namespace),
      ['apps', 'db'],
    );
    assert.deepEqual(
      rules(roles.slice(0, 1)).map((rule) => [rule.resources, rule.verbs]),
      [
        [['pods'], ['get', 'list', 'watch', 'create', 'delete']],
        [['persistentvolumeclaims'], ['get', 'list', 'watch']],
      ],
      'without a VolumeSnapshotClass, PVCs are only read',
    );
    const clusterRoles = listed.filter((object) => object.kind === 'ClusterRole');
    assert.deepEqual(rules(clusterRoles), [
      { apiGroups: [''], resources: ['namespaces', 'persistentvolumes'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('every variable the chart sets for a Cairn service is one that service reads', () => {
    for (const valuesFile of CI_VALUES) {
      for (const object of render(binary, valuesFile).filter((o) => o.kind === 'Deployment')) {
        const component = object.metadata.labels['app.kubernetes.io/component'];
        const code = sourceText(`services/${component}`);
        for (const { name } of podSpec(object).containers[0].env) {
          // POSTGRES_PASSWORD only builds DATABASE_URL, through Kubernetes' $(VAR) expansion.
          if (NOT_YET_READ.has(name) || name === 'POSTGRES_PASSWORD') continue;
          assert.match(code, new RegExp(`\\b${name}\\b`), `${valuesFile}: ${component} is given ${name}`);
        }
      }
    }
  });

  test('the generated secrets: a 64-hex secret key, an admin password, kept on uninstall', () => {
    const secret = render(binary).find((object) => object.kind === 'Secret');
    const decoded = (key) => Buffer.from(secret.data[key], 'base64').toString();
    assert.match(decoded('secret-key'), /^[0-9a-f]{64}$/);
    assert.ok(decoded('admin-password').length >= 8);
    assert.equal(secret.metadata.annotations['helm.sh/resource-policy'], 'keep');
    const external = render(binary, 'external-values.yaml');
    assert.ok(
      !external.some((object) => object.kind === 'Secret'),
      'no Secret when every secret is the operator’s',
    );
  });

  test('the gateway answers to its Service names and the Ingress hosts, and only the catalog reaches PostgreSQL', () => {
    const objects = render(binary, 'full-values.yaml');
    const gateway = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'backup-cairn-gateway',
    );
    const env = Object.fromEntries(podSpec(gateway).containers[0].env.map((e) => [e.name, e.value]));
    const hosts = env.CAIRN_ALLOWED_HOSTS.split(',');
    for (const host of [
      'backup-cairn-gateway',
      'backup-cairn-gateway.cairn.svc',
      'cairn.example.com',
      'nas.lan',
    ]) {
      assert.ok(hosts.includes(host), host);
    }
    const notifier = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'backup-cairn-notifier',
    );
    const publicUrl = podSpec(notifier).containers[0].env.find((e) => e.name === 'CAIRN_PUBLIC_URL');
    assert.equal(publicUrl.value, 'https://cairn.example.com/');
    const postgres = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'backup-cairn-postgresql',
    );
    assert.equal(
      postgres.spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/component'],
      'catalog',
    );
    const runner = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'backup-cairn-runner');
    const photos = podSpec(runner).containers[0].volumeMounts.find((m) => m.name === 'source-photos');
    assert.deepEqual(photos, { name: 'source-photos', mountPath: '/source/photos', readOnly: true });
  });
});
