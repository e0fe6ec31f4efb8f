import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { backup, RepositoryLock, type LockInfo, type Repository } from '../src/index.js';
import { initRepo, rejectsWithKind, scratchDir } from './helpers.js';

async function freshRepo(t: TestContext): Promise<Repository> {
  const dir = await scratchDir(t, 'locks');
  await fs.mkdir(join(dir, 'source'));
  return initRepo(join(dir, 'repo'));
}

const lockNames = async (repo: Repository) =>
  (await repo.backend.list('lock')).map((file) => file.name).sort();

/** A lock file as another process would have written it. */
function foreignLock(overrides: Partial<LockInfo>): LockInfo {
  const now = new Date().toISOString();
  return {
    exclusive: true,
    host: hostname(),
    pid: process.pid,
    username: 'someone',
    created: now,
    refreshed: now,
    ...overrides,
  };
}

/** A pid that belonged to a process of this host that has exited. */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

test('an exclusive lock blocks a shared one, naming the holder; release frees the repository', async (t) => {
  const repo = await freshRepo(t);
  const exclusive = await RepositoryLock.acquire(repo, { exclusive: true });
  const error = await rejectsWithKind(RepositoryLock.acquire(repo, { exclusive: false }), 'lock-failed');
  assert.match(error.message, new RegExp(`PID ${process.pid}\\b`));
  assert.ok(error.message.includes(hostname()), error.message);
  await rejectsWithKind(
    backup(repo, { paths: [join(repo.backend.location, '..', 'source')] }),
    'lock-failed',
  );
  assert.equal((await lockNames(repo)).length, 1, 'a refused attempt leaves no lock file behind');

  await exclusive.release();
  assert.deepEqual(await lockNames(repo), []);
  const shared = await RepositoryLock.acquire(repo, { exclusive: false });
  await shared.release();
});

test('shared locks coexist, and a shared lock blocks an exclusive one', async (t) => {
  const repo = await freshRepo(t);
  const a = await RepositoryLock.acquire(repo, { exclusive: false });
  const b = await RepositoryLock.acquire(repo, { exclusive: false });
  assert.equal((await lockNames(repo)).length, 2);
  await rejectsWithKind(RepositoryLock.acquire(repo, { exclusive: true }), 'lock-failed');
  await a.release();
  await b.release();
  await (await RepositoryLock.acquire(repo, { exclusive: true })).release();
});

test('a waiting lock is taken once the holder releases', async (t) => {
  const repo = await freshRepo(t);
  const exclusive = await RepositoryLock.acquire(repo, { exclusive: true });
  setTimeout(() => void exclusive.release(), 300);
  const started = Date.now();
  const shared = await RepositoryLock.acquire(repo, { exclusive: false, retryMs: 20_000 });
  assert.ok(Date.now() - started >= 300);
  await shared.release();
});

test('waiting for a lock stops as soon as its signal aborts: cancelled, not a lock failure', async (t) => {
  const repo = await freshRepo(t);
  await repo.saveJson('lock', foreignLock({ exclusive: true }));
  const abort = new AbortController();
  const waiting = RepositoryLock.acquire(repo, { exclusive: false, retryMs: 600_000, signal: abort.signal });
  setTimeout(() => abort.abort(), 50);
  await rejectsWithKind(waiting, 'cancelled');
  assert.equal((await lockNames(repo)).length, 1, "only the holder's lock is left");
});

test('a lock not refreshed for over 30 minutes is stale: removed, and reported', async (t) => {
  const repo = await freshRepo(t);
  const longAgo = new Date(Date.now() - 31 * 60 * 1000).toISOString();
  const info = foreignLock({ host: 'another-host', pid: 1, created: longAgo, refreshed: longAgo });
  const name = await repo.saveJson('lock', info);
  const reported: [LockInfo, string][] = [];
  const lock = await RepositoryLock.acquire(repo, {
    exclusive: true,
    onStaleLock: (i, n) => reported.push([i, n]),
  });
  assert.deepEqual(reported, [[info, name]]);
  assert.ok(!(await lockNames(repo)).includes(name));
  await lock.release();
});

test('a lock of this host whose process is gone is stale at once', async (t) => {
  const repo = await freshRepo(t);
  const pid = deadPid();
  const name = await repo.saveJson('lock', foreignLock({ pid }));
  const reported: string[] = [];
  const lock = await RepositoryLock.acquire(repo, {
    exclusive: true,
    onStaleLock: (i) => reported.push(`${i.host}:${i.pid}`),
  });
  assert.deepEqual(reported, [`${hostname()}:${pid}`]);
  assert.ok(!(await lockNames(repo)).includes(name));
  await lock.release();
});

test('a fresh lock is not stale: not from another host (its pid means nothing here), nor from a live process', async (t) => {
  const repo = await freshRepo(t);
  const recent = new Date(Date.now() - 29 * 60 * 1000).toISOString();
  for (const info of [
    foreignLock({ host: 'another-host', pid: deadPid(), refreshed: recent }),
    foreignLock({ pid: process.pid }),
  ]) {
    const name = await repo.saveJson('lock', info);
    let stale = 0;
    const error = await rejectsWithKind(
      RepositoryLock.acquire(repo, { exclusive: false, onStaleLock: () => stale++ }),
      'lock-failed',
    );
    assert.match(error.message, new RegExp(`PID ${info.pid} on ${info.host}`));
    assert.equal(stale, 0);
    await repo.backend.remove('lock', name);
  }
});

test('refreshing a lock replaces its file with a newer time', async (t) => {
  const repo = await freshRepo(t);
  const lock = await RepositoryLock.acquire(repo, { exclusive: false });
  const [before] = await lockNames(repo);
  const infoBefore = await repo.loadJson<LockInfo>('lock', before!);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await lock.refresh();
  const after = await lockNames(repo);
  assert.equal(after.length, 1);
  assert.notEqual(after[0], before);
  const infoAfter = await repo.loadJson<LockInfo>('lock', after[0]!);
  assert.ok(infoAfter.refreshed > infoBefore.refreshed);
  assert.equal(infoAfter.created, infoBefore.created);
  await lock.release();
  assert.deepEqual(await lockNames(repo), []);
});
