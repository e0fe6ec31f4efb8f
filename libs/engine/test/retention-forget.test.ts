import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { backup, forget, listSnapshots, RepositoryLock, type Repository } from '../src/index.js';
import { saveSnapshot } from '../src/snapshot/snapshot.js';
import { initRepo, rejectsWithKind, scratchDir } from './helpers.js';

const TIMES = [
  '2026-11-17T10:00:00.000Z',
  '2026-11-18T10:00:00.000Z',
  '2026-11-18T20:00:00.000Z',
  '2026-11-19T10:00:00.000Z',
  '2026-11-20T10:00:00.000Z',
];

/** A repository with one real backup, re-dated into a snapshot per time (forget only reads snapshots). */
async function repoWithSnapshots(t: TestContext): Promise<{ repo: Repository; ids: Map<string, string> }> {
  const dir = await scratchDir(t, 'forget');
  await fs.mkdir(join(dir, 'source'));
  await fs.writeFile(join(dir, 'source', 'file.txt'), 'content');
  const repo = await initRepo(join(dir, 'repo'));
  t.after(() => repo.close());
  const { snapshot, snapshotId } = await backup(repo, { paths: [join(dir, 'source')], host: 'nas' });
  await repo.backend.remove('snapshot', snapshotId);
  const ids = new Map<string, string>();
  for (const time of TIMES) ids.set(time, await saveSnapshot(repo, { ...snapshot, time }));
  return { repo, ids };
}

const remaining = async (repo: Repository) => (await listSnapshots(repo)).map((s) => s.time);

test('forget removes exactly the snapshots the policy does not keep', async (t) => {
  const { repo, ids } = await repoWithSnapshots(t);
  const result = await forget(repo, { policy: { keepDaily: 3 }, timeZone: 'UTC' });
  assert.equal(result.dryRun, false);
  assert.deepEqual(result.removed.sort(), [ids.get(TIMES[0]!), ids.get(TIMES[1]!)].sort());
  assert.deepEqual(await remaining(repo), TIMES.slice(2));
  assert.deepEqual(
    result.groups[0]!.decisions.map((d) => [d.time, d.keep, d.reasons]),
    [
      [TIMES[0], false, []],
      [TIMES[1], false, []],
      [TIMES[2], true, ['daily 2026-11-18']],
      [TIMES[3], true, ['daily 2026-11-19']],
      [TIMES[4], true, ['daily 2026-11-20']],
    ],
  );
  assert.deepEqual(await repo.backend.list('lock'), [], 'the lock is released');
});

test('a dry run decides the same and removes nothing', async (t) => {
  const { repo } = await repoWithSnapshots(t);
  const result = await forget(repo, { policy: { keepLast: 1 }, dryRun: true });
  assert.equal(result.dryRun, true);
  assert.equal(result.removed.length, 4);
  assert.deepEqual(await remaining(repo), TIMES);
});

test('forget needs the repository to itself; a dry run only shares it', async (t) => {
  const { repo } = await repoWithSnapshots(t);
  const shared = await RepositoryLock.acquire(repo, { exclusive: false });
  try {
    const error = await rejectsWithKind(forget(repo, { policy: { keepLast: 1 } }), 'lock-failed');
    assert.match(error.message, /locked shared by PID/);
    assert.equal((await forget(repo, { policy: { keepLast: 1 }, dryRun: true })).removed.length, 4);
  } finally {
    await shared.release();
  }
  assert.deepEqual(await remaining(repo), TIMES);
});

test('an invalid policy is refused before the lock is taken', async (t) => {
  const { repo } = await repoWithSnapshots(t);
  const exclusive = await RepositoryLock.acquire(repo, { exclusive: true });
  try {
    // The usage error wins over the lock held by someone else: nothing was attempted.
    await rejectsWithKind(forget(repo, { policy: {} }), 'usage');
  } finally {
    await exclusive.release();
  }
  assert.deepEqual(await remaining(repo), TIMES);
});

test('a cancelled forget removes nothing and releases its lock', async (t) => {
  const { repo } = await repoWithSnapshots(t);
  const controller = new AbortController();
  controller.abort();
  await rejectsWithKind(forget(repo, { policy: { keepLast: 1 }, signal: controller.signal }), 'cancelled');
  assert.deepEqual(await remaining(repo), TIMES);
  assert.deepEqual(await repo.backend.list('lock'), []);
});
