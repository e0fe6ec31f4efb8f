// The Helm chart (helm/cairn) with Helm 4 and Helm 3, both built from their Go modules: lint and
// render every ci/*-values.yaml, refuse bad values in words, and render what a cluster needs.
// (cluster.test.mjs has a real kube-apiserver validate and install what is rendered here.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sourceText } from '../deploy/project.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { METRICS_PORTS, connectNats, ensureStreams, natsSettings } from '@cairn/contracts';
import { GENERATED, chartNatsUsers } from '../../helm/generate-nats-users.mjs';
import { freePort } from '../support/services.mjs';
import { CHART, CI_VALUES, HELMS, PROMETHEUS_OPERATOR, TEMPLATE, helm, render } from './chart.mjs';

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

    test('the ServiceMonitor and the PrometheusRule are rendered only where their API exists, and when asked for', () => {
      const kinds = (objects) => objects.map((object) => object.kind);
      assert.ok(!kinds(render(binary, 'full-values.yaml')).includes('ServiceMonitor'));
      assert.ok(!kinds(render(binary, 'full-values.yaml')).includes('PrometheusRule'));
      const withApi = kinds(render(binary, 'full-values.yaml', ...PROMETHEUS_OPERATOR));
      assert.ok(withApi.includes('ServiceMonitor') && withApi.includes('PrometheusRule'));
      const byDefault = kinds(render(binary, undefined, ...PROMETHEUS_OPERATOR));
      assert.ok(!byDefault.includes('ServiceMonitor') && !byDefault.includes('PrometheusRule'));
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

  test('every Cairn service’s /metrics: a container port, a Service of its own, the ServiceMonitor over all of them', () => {
    // The volume controller's too, when it runs.
    const withController = [...CAIRN_SERVICES, 'volume-controller'];
    const objects = render(
      binary,
      'full-values.yaml',
      ...PROMETHEUS_OPERATOR,
      '--set',
      'controller.enabled=true',
    );
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    assert.deepEqual(monitor.metadata.labels.release, 'kube-prometheus-stack');
    const selected = objects.filter(
      (o) =>
        o.kind === 'Service' &&
        Object.entries(monitor.spec.selector.matchLabels).every(
          ([key, value]) => o.metadata.labels[key] === value,
        ),
    );
    assert.deepEqual(
      selected.map((service) => service.metadata.name).sort(),
      withController.map((name) => `backup-cairn-${name}-metrics`).sort(),
    );
    assert.deepEqual(monitor.spec.endpoints, [{ port: 'metrics', path: '/metrics', interval: '60s' }]);
    for (const service of selected) {
      const component = service.spec.selector['app.kubernetes.io/component'];
      assert.equal(service.spec.type, 'ClusterIP', `${component}: never the gateway's public Service`);
      const deployment = objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.labels['app.kubernetes.io/component'] === component,
      );
      const port = podSpec(deployment).containers[0].ports.find((p) => p.name === 'metrics');
      // The chart names the service's default CAIRN_METRICS_PORT (the one Compose exposes) and sets it.
      assert.equal(port.containerPort, METRICS_PORTS[component], component);
      const env = Object.fromEntries(podSpec(deployment).containers[0].env.map((e) => [e.name, e.value]));
      assert.equal(env.CAIRN_METRICS_PORT, String(port.containerPort), component);
      assert.equal(env.CAIRN_METRICS_BIND, '0.0.0.0', component);
      assert.deepEqual(service.spec.ports, [
        { name: 'metrics', port: METRICS_PORTS[component], targetPort: 'metrics', protocol: 'TCP' },
      ]);
    }
    const policy = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'backup-cairn-metrics',
    );
    assert.deepEqual(policy.spec.podSelector.matchExpressions[0].values.sort(), withController.sort());
    assert.deepEqual(policy.spec.ingress, [
      {
        ports: [{ port: 'metrics', protocol: 'TCP' }],
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      },
    ]);
  });

  test('the example PrometheusRule alerts on the catalog’s series: a failed backup, an overdue job', () => {
    const rule = render(binary, 'full-values.yaml', ...PROMETHEUS_OPERATOR).find(
      (o) => o.kind === 'PrometheusRule',
    );
    const rules = rule.spec.groups.flatMap((group) => group.rules);
    assert.deepEqual(
      rules.map((r) => r.alert),
      ['CairnBackupFailed', 'CairnBackupOverdue'],
    );
    const catalogCode = sourceText('services/catalog');
    for (const { alert, expr, labels } of rules) {
      assert.equal(labels.severity, 'critical', alert);
      assert.match(expr, /service="backup-cairn-catalog-metrics"/, `${alert}: this release's catalog`);
      for (const [series] of expr.matchAll(/cairn_\w+/g)) {
        assert.match(catalogCode, new RegExp(`'${series}'`), `${alert}: the catalog serves ${series}`);
      }
    }
  });

  test('the chart’s NATS users are deploy/nats/nats.conf’s (run node helm/generate-nats-users.mjs after changing it)', () => {
    assert.equal(readFileSync(GENERATED, 'utf8'), chartNatsUsers());
  });

  test('with nats.auth, the rendered NATS config runs in a real nats-server: each service logs in with its password, with its own permissions', async () => {
    const objects = render(binary, 'full-values.yaml');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'backup-cairn-nats');
    const nats = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'backup-cairn-nats');
    const dir = mkdtempSync(join(tmpdir(), 'cairn-chart-nats-'));
    const port = await freePort();
    // As the pod has it, but on a free loopback port, storing in the test's folder, with no monitor port.
    const local = (text) =>
      text
        .replace(/^port: 4222$/m, `listen: 127.0.0.1:${port}`)
        .replace(/^http_port: 8222\n/m, '')
        .replace(/store_dir: \/data$/m, `store_dir: ${join(dir, 'data')}`);
    for (const [name, text] of Object.entries(config.data)) writeFileSync(join(dir, name), local(text));
    assert.match(readFileSync(join(dir, 'nats.conf'), 'utf8'), new RegExp(`listen: 127.0.0.1:${port}`));
    // The container's environment as Kubernetes makes it: each Secret key a password, $(VAR) expanded.
    const passwords = {};
    const env = {};
    for (const entry of nats.spec.template.spec.containers[0].env) {
      if (entry.valueFrom) {
        const service = entry.valueFrom.secretKeyRef.key.replace(/-password$/, '');
        env[entry.name] = passwords[service] = String(100000 + Object.keys(passwords).length); // digits only
      } else {
        env[entry.name] = entry.value.replace(/\$\((\w+)\)/g, (_, name) => env[name]);
      }
    }
    // The volume controller's user too (deploy/nats/cluster-users.conf), though Compose has none.
    assert.deepEqual(Object.keys(passwords).sort(), [...CAIRN_SERVICES, 'volume-controller'].sort());
    const server = spawn('nats-server', ['-c', join(dir, 'nats.conf')], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    let log = '';
    server.stderr.on('data', (chunk) => (log += chunk));
    const url = `nats://127.0.0.1:${port}`;
    const as = (service, password = passwords[service]) =>
      connectNats(natsSettings({ NATS_URL: url, NATS_PASSWORD: password }, service), `chart-${service}`);
    try {
      let gateway;
      for (let attempt = 0; !gateway; attempt++) {
        gateway = await as('gateway').catch((error) => {
          if (attempt > 100 || server.exitCode !== null) throw new Error(`${error.message}\n${log}`);
          return new Promise((resolve) => setTimeout(resolve, 100));
        });
      }
      // The gateway may not ask for a job's passphrase; a runner may (no one answers here).
      await assert.rejects(
        gateway.request('cairn.catalog.jobs.resolve', '{}', { timeout: 5000 }),
        /Permissions Violation for Publish/,
      );
      const runner = await as('runner');
      await assert.rejects(
        runner.request('cairn.catalog.jobs.resolve', '{}', { timeout: 5000 }),
        /no responders/i,
      );
      await assert.rejects(as('catalog', passwords.runner), /Authorization Violation/i);
      // The volume controller reports runs, nothing more: no secrets.
      const controller = await as('volume-controller');
      await assert.rejects(
        controller.request('cairn.catalog.runs.create', '{}', { timeout: 5000 }),
        /no responders/i,
      );
      await assert.rejects(
        controller.request('cairn.catalog.jobs.resolve', '{}', { timeout: 5000 }),
        /Permissions Violation for Publish/,
      );
      // Its run events reach the EVENTS stream (the catalog keeps the streams), acknowledged in its inbox.
      const catalog = await as('catalog');
      await ensureStreams(catalog);
      const ack = await jetstream(controller).publish('cairn.events.run.finished', '{}', {
        msgID: 'chart-test',
      });
      assert.equal(ack.stream, 'EVENTS');
      for (const connection of [gateway, runner, controller, catalog]) await connection.close();
    } finally {
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
