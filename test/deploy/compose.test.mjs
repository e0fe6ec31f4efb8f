// docker-compose.yml against the code: the services it runs exist, the variables it sets are read,
// and .env.example documents exactly what it interpolates.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { METRICS_PORTS } from '@cairn/contracts';
import { SERVICE_NAMES, natsPasswordVariable } from '../../deploy/services.mjs';
import {
  ROOT,
  cairnServer,
  cairnServices,
  compose,
  envExampleNames,
  envExampleValues,
  environmentNames,
  interpolatedEnvironment,
  read,
  sourceText,
} from './project.mjs';

/** The NATS password of each service, as .env holds them. */
const NATS_PASSWORDS = Object.fromEntries(
  SERVICE_NAMES.map((name) => [natsPasswordVariable(name), `${name}-pw`]),
);

test('the compose file parses, with the stack DESIGN §2 names', () => {
  const { services, volumes } = compose();
  for (const name of ['nats', 'postgres', 'minio', ...SERVICE_NAMES]) assert.ok(services[name], name);
  assert.deepEqual(services.minio.profiles, ['minio'], 'MinIO is optional');
  assert.deepEqual(services.nats.command, ['-c', '/etc/nats/nats.conf', '-js', '-sd', '/data']);
  for (const [name, service] of Object.entries(services)) {
    assert.equal(service.restart, 'unless-stopped', name);
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0];
      if (!source.startsWith('$') && !source.startsWith('/') && !source.startsWith('./'))
        assert.ok(source in volumes, `${name}: ${source}`);
    }
  }
});

test('every Cairn service in it is a real service, checked by its own health probe', () => {
  const deployed = cairnServices();
  assert.deepEqual(deployed.map(([name]) => name).sort(), [...SERVICE_NAMES].sort());
  for (const [name, service] of deployed) {
    assert.equal(service.command, name, `${name} runs its own service`);
    assert.ok(existsSync(join(ROOT, 'services', name, 'src', 'main.ts')), `services/${name}/src/main.ts`);
    const manifest = JSON.parse(read(`services/${name}/package.json`));
    assert.equal(manifest.name, `@cairn/${name}`);
    assert.ok(manifest.exports?.['./main'], `@cairn/${name} exports ./main`);
    assert.deepEqual(service.healthcheck.test, ['CMD', 'cairn-server', 'health', name]);
  }
});

test('every variable compose sets for a Cairn service is one that service reads', () => {
  for (const [name, service] of cairnServices()) {
    // The image's entrypoint reads some (PUID, PGID) before the service starts.
    const code = `${sourceText(`services/${name}`)}\n${read('deploy/entrypoint.sh')}`;
    for (const variable of environmentNames(service.environment)) {
      const reads = new RegExp(`\\b${variable}\\b`).test(code);
      assert.ok(reads, `${name} sets ${variable}, which its code never reads`);
    }
  }
});

test('each Cairn service accepts the environment compose gives it', async () => {
  // .env as a user fills it in from .env.example: the required secrets set, everything else as given.
  const dotEnv = {
    ...envExampleValues(),
    CAIRN_SECRET_KEY: 'ab'.repeat(32),
    POSTGRES_PASSWORD: 'x'.repeat(24),
    ...NATS_PASSWORDS,
  };
  await Promise.all(
    cairnServices().map(async ([name, service]) => {
      const env = interpolatedEnvironment(service, dotEnv);
      // The stack's host names point at nothing here: past its settings, the service must fail to
      // connect, never stop at "invalid configuration".
      for (const [variable, value] of Object.entries(env)) {
        env[variable] = value.replace(/^(\w+:\/\/(?:[^@/]*@)?)(nats|postgres):\d+/, '$1127.0.0.1:1');
      }
      // One attempt: the service would otherwise wait CAIRN_STARTUP_WAIT_MS for them to appear.
      const { code, stderr } = await cairnServer([name], {
        PATH: process.env.PATH,
        ...env,
        CAIRN_STARTUP_WAIT_MS: '1',
      });
      assert.notEqual(code, 0, `${name} started without NATS or PostgreSQL`);
      assert.doesNotMatch(stderr, /invalid configuration/, `${name}: ${stderr}`);
      assert.match(stderr, /127\.0\.0\.1:1/, `${name} failed before connecting: ${stderr}`);
    }),
  );
});

test('the gateway listens on every address of its container, on the published port', () => {
  const { gateway } = compose().services;
  assert.equal(gateway.environment.CAIRN_BIND, '0.0.0.0');
  assert.equal(String(gateway.environment.CAIRN_PORT), '8200');
  assert.ok(gateway.ports.some((port) => port.endsWith(':8200')));
  const { runner } = compose().services;
  assert.ok(
    runner.volumes.some((volume) => /:\/source:ro$/.test(volume)),
    'sources are read-only',
  );
});

test('each Cairn service exposes its /metrics port to the stack’s network only, never published', () => {
  for (const [name, service] of cairnServices()) {
    assert.deepEqual(service.expose, [String(METRICS_PORTS[name])], name);
    for (const port of service.ports ?? [])
      assert.doesNotMatch(port, /:94\d\d$/, `${name} publishes ${port}`);
  }
});

test('.env.example documents exactly the variables compose takes from .env', () => {
  const text = read('docker-compose.yml');
  const interpolated = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]));
  // `NAME:` with no value passes NAME through from .env only when it is set there.
  const passedThrough = cairnServices().flatMap(([, service]) =>
    Object.entries(service.environment ?? {})
      .filter(([, value]) => value === null)
      .map(([variable]) => variable),
  );
  // Compose reads COMPOSE_PROJECT_NAME from .env itself.
  const used = new Set([...interpolated, ...passedThrough, 'COMPOSE_PROJECT_NAME']);
  const documented = envExampleNames();
  for (const variable of documented) assert.ok(used.has(variable), `.env.example: ${variable} is never used`);
  for (const variable of used) assert.ok(documented.includes(variable), `${variable} is not in .env.example`);
});

test('a NAS stack: rotated logs, a quick start, folders on the host, MinIO on the NAS only', () => {
  const text = read('docker-compose.yml');
  assert.doesNotMatch(text, /^name:/m, 'Compose v1 refuses a top-level name');
  const { services } = compose();
  for (const [name, service] of Object.entries(services)) {
    assert.equal(service.logging?.options?.['max-size'], '10m', `${name} rotates its log`);
    if (service.healthcheck) {
      assert.ok(parseInt(service.healthcheck.interval) <= 10, `${name}: health every 10 s or less`);
      assert.ok(service.healthcheck.start_period, `${name}: a start period`);
    }
  }
  // No chain of health checks to wait through: each service waits for what it needs by itself.
  for (const [name, service] of cairnServices()) {
    assert.ok(Array.isArray(service.depends_on), `${name}: depends_on only orders the start`);
  }
  const { runner, minio } = services;
  assert.equal(runner.user, '0:0', 'the entrypoint starts as root, then drops to PUID:PGID');
  assert.deepEqual([runner.environment.PUID, runner.environment.PGID], ['${PUID:-1000}', '${PGID:-1000}']);
  assert.ok(runner.volumes.includes('${CAIRN_BACKUPS:-./backups}:/backups'), 'folder destinations');
  assert.ok(runner.volumes.includes('${CAIRN_RESTORES:-./restore}:/restore'), 'restores on the host');
  assert.equal(runner.environment.CAIRN_BACKUPS_DIR, '/backups');
  for (const port of minio.ports) assert.match(port, /^127\.0\.0\.1:/);
  assert.match(minio.entrypoint.join(' '), /test -n "\$\$MINIO_ROOT_PASSWORD" \|\|/);
});

/** The Compose commands installed here: v2 (the docker plugin) and v1 (Debian 12's docker-compose). */
function composeCommands() {
  return [['docker', 'compose'], ['docker-compose']].filter(
    ([command, ...args]) => spawnSync(command, [...args, 'version'], { stdio: 'ignore' }).status === 0,
  );
}

test('every Compose installed here, v1 or v2, accepts the file', () => {
  const commands = composeCommands();
  // `compose config` needs no engine, only Compose: make test's set-up installs Debian's v1.
  assert.ok(
    commands.length > 0,
    'neither docker compose nor docker-compose is installed: install docker-compose',
  );
  const dir = mkdtempSync(join(tmpdir(), 'cairn-compose-'));
  try {
    const envFile = join(dir, '.env');
    // The secrets compose insists on; everything else has a default.
    const natsPasswords = Object.entries(NATS_PASSWORDS).map(([name, value]) => `${name}=${value}\n`);
    writeFileSync(
      envFile,
      `CAIRN_SECRET_KEY=${'ab'.repeat(32)}\nPOSTGRES_PASSWORD=${'x'.repeat(24)}\n${natsPasswords.join('')}`,
    );
    for (const [command, ...prefix] of commands) {
      const args = [...prefix, '-f', join(ROOT, 'docker-compose.yml'), '--env-file', envFile];
      for (const profile of [[], ['--profile', 'minio']]) {
        const result = spawnSync(command, [...args, ...profile, 'config', '-q'], { encoding: 'utf8' });
        assert.equal(result.status, 0, `${[command, ...prefix].join(' ')}: ${result.stderr}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
