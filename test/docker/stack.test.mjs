// The image built and the project's own docker-compose.yml run in containers (issue 13), driven
// through the REST API only, as a NAS user's stack is: back up and restore, restart, down and up,
// upgrade the image over the data, a runner whose user cannot use its folders, a sources share that
// is not mounted, and a NATS that lets no one in without a password.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, promises as fs, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { API } from '@cairn/contracts';
import { ApiClient } from '../e2e/api-client.mjs';
import { ROOT } from '../deploy/project.mjs';
import { makeTempDir, pseudoRandomBytes, removeDir } from '../support/fs-tree.mjs';
import { SERVICE_NAMES, natsPasswordVariable } from '../../deploy/services.mjs';
import { freePort } from '../support/services.mjs';
import { baseImages, extraCaCerts } from './base-images.mjs';
import { ComposeStack } from './compose-stack.mjs';
import { composeCommand, docker, dockerBuild, ensureDockerEngine } from './engine.mjs';

const HEALTHY = ['postgres', ...SERVICE_NAMES];
// Each committed migration runs exactly once, however often the stack starts.
const MIGRATIONS = readdirSync(join(ROOT, 'services', 'catalog', 'src', 'migrations')).filter((name) =>
  name.endsWith('.ts'),
).length;
const INITIAL_PASSWORD = `initial-${randomBytes(6).toString('hex')}`;
const CHANGED_PASSWORD = `changed-${randomBytes(6).toString('hex')}`;
const PASSPHRASE = `job-${randomBytes(6).toString('hex')}`;
const HOUR = 3_600_000;

/** Builds deploy/Dockerfile on the stand-in bases; `version` goes into its label. */
async function buildImage(bases, version) {
  const tag = `cairn-server:test-${version}`;
  await dockerBuild({
    tag,
    dockerfile: join(ROOT, 'deploy/Dockerfile'),
    context: ROOT,
    args: {
      BUILD_IMAGE: bases.build,
      RUNTIME_IMAGE: bases.runtime,
      EXTRA_CA_CERTS: extraCaCerts(),
      VERSION: version,
    },
    timeout: HOUR,
  });
  return tag;
}

describe('the Compose stack in containers', { timeout: 2 * HOUR }, () => {
  let dir, bases, stack, api, url, job, snapshotId;
  const figures = {};

  // Explicit timeouts: the first run on a machine builds every base image and the image (minutes).
  before(
    async () => {
      await ensureDockerEngine();
      const command = composeCommand();
      bases = await baseImages();
      const started = Date.now();
      const image = await buildImage(bases, 'e2e-1');
      figures.build = `${Math.round((Date.now() - started) / 1000)} s`;
      dir = await makeTempDir('docker-stack');
      // The runner reads the sources as uid 1000: the folder a temp dir starts as (0700) would hide them.
      chmodSync(dir, 0o755);
      mkdirSync(join(dir, 'source', 'docs'), { recursive: true });
      writeFileSync(join(dir, 'source', 'docs', 'report.txt'), 'quarterly figures\n'.repeat(1000));
      writeFileSync(join(dir, 'source', 'photo.jpg'), pseudoRandomBytes(3 * 1024 * 1024, 'photo'));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      stack = new ComposeStack(
        command,
        `cairn-test-${randomBytes(3).toString('hex')}`,
        dir,
        {
          CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
          POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
          // Each service's own NATS user (deploy/nats/nats.conf).
          ...Object.fromEntries(
            SERVICE_NAMES.map((name) => [natsPasswordVariable(name), randomBytes(12).toString('hex')]),
          ),
          CAIRN_ADMIN_PASSWORD: INITIAL_PASSWORD,
          // Published on loopback only: the suite is the only client.
          CAIRN_PUBLISHED_PORT: `127.0.0.1:${port}`,
          CAIRN_SOURCES: join(dir, 'source'),
          // Neither exists yet: Docker makes them (as root) and the entrypoint gives them to PUID:PGID.
          CAIRN_BACKUPS: join(dir, 'backups'),
          CAIRN_RESTORES: join(dir, 'restore'),
        },
        { cairn: image, postgres: bases.postgres, nats: bases.nats },
      );
      const up = Date.now();
      await stack.run(['up', '-d', '--no-build']);
      await stack.waitHealthy(HEALTHY);
      figures['first start to healthy'] = `${Math.round((Date.now() - up) / 1000)} s`;
      api = new ApiClient(url);
    },
    { timeout: 2 * HOUR },
  );

  after(
    async () => {
      if (stack) {
        const { stdout } = await docker([
          'stats',
          '--no-stream',
          '--format',
          '{{.Name}}\t{{.MemUsage}}',
        ]).catch(() => ({ stdout: '' }));
        figures.memory = stdout
          .split('\n')
          .filter((line) => line.startsWith(stack.project))
          .join('; ');
        await stack.run(['down', '-v', '--remove-orphans']).catch((error) => console.error(error.message));
      }
      if (dir) await removeDir(dir);
      console.log(`docker stack figures: ${JSON.stringify(figures)}`);
    },
    { timeout: 10 * 60_000 },
  );

  /** Runs a job now and follows it to its end. */
  async function runToEnd(jobId) {
    const { json: run } = await api.call(API.jobs.run, { params: { id: jobId }, body: {} }, { expect: 202 });
    return (await api.follow(run.id)).at(-1).data;
  }

  /** What must survive a restart: the jobs, their runs and snapshots. */
  async function catalogState() {
    const get = async (route, input = {}) => (await api.call(route, input, { expect: 200 })).json;
    return {
      jobs: await get(API.jobs.list),
      runs: await get(API.jobs.runs, { params: { id: job.id } }),
      snapshots: await get(API.jobs.snapshots, { params: { id: job.id } }),
    };
  }

  async function appliedMigrations() {
    const postgres = await stack.containerId('postgres');
    const { stdout } = await docker([
      'exec',
      postgres,
      'psql',
      '-U',
      'cairn',
      '-d',
      'cairn',
      '-tAc',
      'SELECT name FROM migrations ORDER BY id',
    ]);
    return stdout.trim().split('\n');
  }

  test('the image: small app layer, labelled, ssh2 native crypto, non-root', async () => {
    const image = await stack.inspect('gateway', '{{.Config.Image}}');
    const { stdout: history } = await docker(['history', '--format', '{{.Size}}\t{{.CreatedBy}}', image]);
    figures['app layer'] = history
      .split('\n')
      .find((line) => line.includes('COPY dir:') || line.includes('COPY --from'))
      ?.split('\t')[0];
    figures['image size'] = (await docker(['image', 'inspect', '-f', '{{.Size}}', image])).stdout.trim();
    const { stdout: labels } = await docker(['image', 'inspect', '-f', '{{json .Config.Labels}}', image]);
    assert.equal(JSON.parse(labels)['org.opencontainers.image.version'], 'e2e-1');
    assert.equal((await docker(['image', 'inspect', '-f', '{{.Config.User}}', image])).stdout.trim(), 'node');
    const { stdout } = await docker([
      'run',
      '--rm',
      '--entrypoint',
      'node',
      image,
      '-p',
      "require('/app/node_modules/ssh2/lib/protocol/crypto.js').bindingAvailable",
    ]);
    assert.equal(stdout.trim(), 'true', 'ssh2 loads its native binding');
  });

  test('sign in with the initial password; the host folders belong to the runner user', async () => {
    await api.login(INITIAL_PASSWORD);
    assert.equal((await api.call(API.system.health, {}, { expect: 200 })).json.status, 'ok');
    for (const folder of ['backups', 'restore']) assert.equal(statSync(join(dir, folder)).uid, 1000, folder);
    assert.equal((await appliedMigrations()).length, MIGRATIONS);
  });

  test("the stack's NATS refuses a client without credentials, or with a wrong password", async () => {
    // From inside the stack's network (NATS publishes no port), with the client library of the image.
    const script = `
      import { connect } from '@nats-io/transport-node';
      const tries = { anonymous: {}, wrong: { user: 'gateway', pass: 'wrong' },
        gateway: { user: 'gateway', pass: process.env.NATS_PASSWORD } };
      for (const [label, credentials] of Object.entries(tries)) {
        try {
          await (await connect({ servers: process.env.NATS_URL, ...credentials })).close();
          console.log(label + ': connected');
        } catch (error) {
          console.log(label + ': ' + error.message);
        }
      }`;
    const gateway = await stack.containerId('gateway');
    const { stdout } = await docker([
      'exec',
      '-w',
      '/app',
      gateway,
      'node',
      '--input-type=module',
      '-e',
      script,
    ]);
    assert.deepEqual(stdout.trim().split('\n'), [
      'anonymous: Authorization Violation',
      'wrong: Authorization Violation',
      'gateway: connected',
    ]);
  });

  test('a folder destination on /backups, tested without leaving anything; a job over /source backs up', async () => {
    const { json: destination } = await api.call(
      API.destinations.create,
      { body: { name: 'nas disk', url: '/backups/nas' } },
      { expect: 201 },
    );
    const tested = await api.call(API.destinations.test, { params: { id: destination.id } }, { expect: 200 });
    assert.equal(tested.json.ok, true, tested.json.message);
    assert.deepEqual(await fs.readdir(join(dir, 'backups')), [], 'the test left nothing at the destination');
    ({ json: job } = await api.call(
      API.jobs.create,
      { body: { name: 'nas', sources: ['/source'], destinationId: destination.id, passphrase: PASSPHRASE } },
      { expect: 201 },
    ));
    const finished = await runToEnd(job.id);
    assert.equal(finished.status, 'succeeded', JSON.stringify(finished));
    const snapshots = (await api.call(API.jobs.snapshots, { params: { id: job.id } }, { expect: 200 })).json;
    assert.equal(snapshots.length, 1);
    snapshotId = snapshots[0].id;
    assert.equal(statSync(join(dir, 'backups', 'nas')).uid, 1000);
  });

  test('a restore lands in the host folder with the original bytes', async () => {
    const { json: run } = await api.call(
      API.restores.start,
      { body: { jobId: job.id, snapshotId, include: ['/source/photo.jpg'], target: 'first' } },
      { expect: 202 },
    );
    assert.equal((await api.follow(run.id)).at(-1).data.status, 'succeeded');
    const restored = join(dir, 'restore', 'first', 'source', 'photo.jpg');
    assert.ok((await fs.readFile(restored)).equals(await fs.readFile(join(dir, 'source', 'photo.jpg'))));
    assert.equal(statSync(restored).uid, 1000, 'the NAS user owns what was restored');
  });

  test('a password changed in the UI, jobs, runs and snapshots survive a restart and a down/up', async () => {
    const changed = await api.call(
      API.auth.password,
      { body: { current: INITIAL_PASSWORD, next: CHANGED_PASSWORD } },
      { expect: 200 },
    );
    api.token = changed.json.accessToken;
    const before = await catalogState();
    for (const [label, steps] of [
      ['restart', [['restart']]],
      ['down/up', [['down'], ['up', '-d', '--no-build']]],
    ]) {
      const started = Date.now();
      for (const args of steps) await stack.run(args);
      await stack.waitHealthy(HEALTHY);
      figures[`${label} to healthy`] = `${Math.round((Date.now() - started) / 1000)} s`;
      // CAIRN_ADMIN_PASSWORD is still the initial one in .env: it must not have reset the password.
      assert.equal(
        (await api.call(API.auth.login, { body: { password: INITIAL_PASSWORD } })).status,
        401,
        label,
      );
      await api.login(CHANGED_PASSWORD);
      assert.deepEqual(await catalogState(), before, label);
    }
    assert.equal((await appliedMigrations()).length, MIGRATIONS);
  });

  test('an upgraded image takes over the data; the migrations ran once', { timeout: HOUR }, async () => {
    const image = await buildImage(bases, 'e2e-2');
    stack.setImages({ cairn: image, postgres: bases.postgres, nats: bases.nats });
    await stack.run(['up', '-d', '--no-build']);
    await stack.waitHealthy(HEALTHY);
    for (const service of SERVICE_NAMES)
      assert.equal(await stack.inspect(service, '{{.Config.Image}}'), image, service);
    await api.login(CHANGED_PASSWORD);
    assert.equal((await appliedMigrations()).length, MIGRATIONS);
    const finished = await runToEnd(job.id);
    assert.equal(finished.status, 'succeeded', JSON.stringify(finished));
    assert.equal(
      (await api.call(API.jobs.snapshots, { params: { id: job.id } }, { expect: 200 })).json.length,
      2,
    );
  });

  test('a runner started as a user who cannot use its folders reports unhealthy, naming them', async () => {
    const wrongUser = join(dir, 'wrong-user.yml');
    // As another user from the start, so the entrypoint cannot hand the folders over.
    await fs.writeFile(wrongUser, "services:\n  runner:\n    user: '4321:4321'\n");
    stack.overrides.push(wrongUser);
    await stack.run(['up', '-d', '--no-build', 'runner']);
    let failure;
    for (let attempt = 0; attempt < 120 && !failure; attempt++) {
      failure = (await stack.healthLog('runner')).find(
        (entry) => entry.ExitCode !== 0 && /4321/.test(entry.Output),
      );
      if (!failure) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.ok(failure, 'the health check failed');
    assert.match(failure.Output, /^cairn-server: runner: runs as 4321:4321 and cannot read and write /);
    for (const folder of ['/backups', '/backups/nas', '/restore', '/cache'])
      assert.ok(failure.Output.includes(`cannot read and write ${folder} (owned by 1000:1000)`), folder);
  });

  test('with PUID/PGID changed, the entrypoint hands the folders over and backups go on', async () => {
    stack.overrides.pop();
    stack.setEnv({ ...stack.env, PUID: '1001', PGID: '1001' });
    await stack.run(['up', '-d', '--no-build', 'runner']);
    await stack.waitHealthy(['runner']);
    const finished = await runToEnd(job.id);
    assert.equal(finished.status, 'succeeded', JSON.stringify(finished));
    for (const folder of ['backups', 'backups/nas', 'restore'])
      assert.equal(statSync(join(dir, folder)).uid, 1001, folder);
  });

  test('a sources share that is not mounted is refused: no snapshot made, none removed', async () => {
    // After a NAS reboot the share may not be mounted yet; Docker makes the missing host folder empty.
    stack.setEnv({ ...stack.env, CAIRN_SOURCES: join(dir, 'share-not-mounted') });
    await stack.run(['up', '-d', '--no-build', 'runner']);
    await stack.waitHealthy(['runner']);
    const snapshots = async () =>
      (await api.call(API.jobs.snapshots, { params: { id: job.id } }, { expect: 200 })).json;
    const before = await snapshots();
    const finished = await runToEnd(job.id);
    assert.equal(finished.status, 'warning', JSON.stringify(finished));
    assert.equal(
      finished.error,
      'source /source is an empty folder (a share that is not mounted yet?): nothing backed up, retention and prune skipped',
    );
    assert.deepEqual(await snapshots(), before);
  });
});
