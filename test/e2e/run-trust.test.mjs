// Through the REST API, every service as a process against real PostgreSQL and a NATS server of this
// suite's own: a passphrase change re-keys the job's repository (issue 11, item 3), and a catalog
// that was away as a run ended brings the snapshot list up to date by itself (item 4).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { randomBytes as random } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { API, repositoryUrl } from '@cairn/contracts';
import { openBackend, Repository } from '@cairn/engine';
import { startStack } from '../../deploy/stack.mjs';
import { makeTempDir, removeDir } from '../support/fs-tree.mjs';
import { databaseUrl, freePort, privateNats } from '../support/services.mjs';
import { ApiClient } from './api-client.mjs';

const FINISHED = new Set(['succeeded', 'warning', 'failed', 'cancelled']);

describe('passphrase change and snapshot resync, end to end', () => {
  let dir, nats, stack, api, source, job, destination;

  before(async () => {
    dir = await makeTempDir('e2e-passphrase');
    source = join(dir, 'source');
    for (const folder of [source, join(dir, 'restore')]) mkdirSync(folder, { recursive: true });
    writeFileSync(join(source, 'notes.txt'), 'remember the milk\n');
    nats = await privateNats();
    const database = new URL(`/cairn_e2e_${randomBytes(4).toString('hex')}`, await databaseUrl()).href;
    stack = await startStack({
      PATH: process.env.PATH,
      HOME: dir,
      NATS_URL: nats.url,
      DATABASE_URL: database,
      CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
      CAIRN_PORT: String(await freePort()),
      CAIRN_SOURCE_ROOTS: source,
      CAIRN_RESTORE_ROOT: join(dir, 'restore'),
      CAIRN_LOG_LEVEL: 'info',
    });
    api = new ApiClient(stack.url);
    await api.login(stack.password);
    destination = (
      await api.call(
        API.destinations.create,
        { body: { name: 'disk', url: join(dir, 'repos') } },
        { expect: 201 },
      )
    ).json;
    job = (
      await api.call(
        API.jobs.create,
        {
          body: {
            name: 'notes',
            sources: [source],
            destinationId: destination.id,
            passphrase: 'first passphrase',
          },
        },
        { expect: 201 },
      )
    ).json;
  });

  after(async () => {
    await stack?.stop();
    await nats?.stop();
    if (dir) await removeDir(dir);
  });

  const changePassphrase = (passphrase) =>
    api.call(API.jobs.update, { params: { id: job.id }, body: { passphrase } });

  /** Runs the job now and waits for the run's recorded end. */
  async function runToEnd() {
    const { json: run } = await api.call(API.jobs.run, { params: { id: job.id }, body: {} }, { expect: 202 });
    for (;;) {
      const { json } = await api.call(API.runs.get, { params: { id: run.id } }, { expect: 200 });
      if (FINISHED.has(json.status)) return json;
      await sleep(200);
    }
  }

  const opens = async (passphrase) => {
    const backend = openBackend(repositoryUrl(destination.url, job.repositoryPath));
    try {
      await (await Repository.open(backend, passphrase)).close();
      return true;
    } catch (error) {
      if (error.kind === 'wrong-password') return false;
      throw error;
    } finally {
      await backend.close();
    }
  };

  test('before the first run there is no repository: the new passphrase is simply saved', async () => {
    assert.equal((await changePassphrase('second passphrase')).status, 200);
    const first = await runToEnd();
    assert.equal(first.status, 'succeeded', first.error ?? '');
    assert.equal(await opens('second passphrase'), true);
  });

  test('afterwards the repository gets the new key and loses the old: runs and browsing go on', async () => {
    assert.equal((await changePassphrase('third passphrase')).status, 200);
    assert.equal(await opens('third passphrase'), true);
    assert.equal(await opens('second passphrase'), false, 'the old passphrase no longer opens it');

    const next = await runToEnd();
    assert.equal(next.status, 'succeeded', next.error ?? '');
    const snapshots = (await api.call(API.jobs.snapshots, { params: { id: job.id } }, { expect: 200 })).json;
    assert.equal(snapshots.length, 2);
    const tree = await api.call(
      API.snapshots.tree,
      { params: { snapshotId: snapshots[0].id }, query: { jobId: job.id, path: source } },
      { expect: 200 },
    );
    assert.deepEqual(
      tree.json.map((entry) => entry.name),
      ['notes.txt'],
    );
  });

  // The timeout only turns a snapshot list that never catches up into a failure rather than a hang.
  test(
    'a catalog stopped while a run ends lists the snapshot once it is back, without anyone acting',
    { timeout: 300_000 },
    async () => {
      // Enough incompressible data under `max` for the run to outlast the catalog's shutdown.
      const big = join(source, 'big');
      mkdirSync(big);
      for (let i = 0; i < 100; i++) writeFileSync(join(big, `${i}.bin`), random(256 * 1024));
      await api.call(
        API.jobs.update,
        { params: { id: job.id }, body: { compression: 'max' } },
        { expect: 200 },
      );
      const { json: run } = await api.call(
        API.jobs.run,
        { params: { id: job.id }, body: {} },
        { expect: 202 },
      );
      while (
        (await api.call(API.runs.get, { params: { id: run.id } }, { expect: 200 })).json.status === 'queued'
      )
        await sleep(50);
      const [catalog] = stack.running('catalog');
      catalog.kill('SIGTERM');
      await once(catalog, 'exit');
      const missed = () =>
        stack.lines.some(
          ({ service, line }) =>
            service === 'runner' && line.includes('could not update the snapshot list now'),
        );
      while (!missed()) await sleep(100);

      await stack.waitHealthy('catalog', stack.start('catalog'));
      for (;;) {
        const { json } = await api.call(API.runs.get, { params: { id: run.id } });
        if (json && FINISHED.has(json.status)) break;
        await sleep(200);
      }
      const finished = (await api.call(API.runs.get, { params: { id: run.id } }, { expect: 200 })).json;
      assert.equal(finished.status, 'succeeded', finished.error ?? '');
      const snapshots = async () =>
        (await api.call(API.jobs.snapshots, { params: { id: job.id } }, { expect: 200 })).json.map(
          ({ id }) => id,
        );
      while (!(await snapshots()).includes(finished.stats.snapshotId)) await sleep(200);
      assert.equal((await snapshots()).length, 3);
    },
  );

  test('with no runner to re-key the repository the change is refused in words, and nothing changes', async () => {
    for (const runner of stack.running('runner')) {
      runner.kill('SIGTERM');
      await once(runner, 'exit');
    }
    const refused = await changePassphrase('fourth passphrase');
    assert.equal(refused.status, 409, JSON.stringify(refused.json));
    assert.match(JSON.stringify(refused.json), /passphrase: not changed: no runner answered/);
    assert.equal(await opens('third passphrase'), true);
    assert.equal(await opens('fourth passphrase'), false);
  });
});
