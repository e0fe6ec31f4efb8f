import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { backup, check, listSnapshots, LocalBackend, prune, Repository, unlock } from '../src/index.js';
import { CrashingBackend, SimulatedCrash } from './crashing-backend.js';
import { fsTree, initRepo, MiB, openRepo, PASSWORD, restoreSnapshot, scratchDir } from './helpers.js';

const FILES = 12;
const FILE_SIZE = 200 * 1024;

/**
 * A repository where prune has every kind of work: three snapshots of a changing folder, the first
 * two forgotten, small packs so that some hold only forgotten data and some a mix.
 */
async function prunableRepository(t: TestContext): Promise<{ dir: string; repo: string; source: string }> {
  const dir = await scratchDir(t, 'prune');
  const source = join(dir, 'source');
  const repo = join(dir, 'repo');
  await fs.mkdir(source);
  const repository = await initRepo(repo, { packSize: 1 * MiB });
  // Round 0 writes every file; later rounds replace some, so round 0's packs end up part used.
  const rewrites = [() => true, (i: number) => i % 2 === 0, (i: number) => i % 2 === 1 && i < 6];
  for (const [round, rewrite] of rewrites.entries()) {
    for (let i = 0; i < FILES; i++) {
      if (rewrite(i))
        await fs.writeFile(join(source, `file-${i}`), fsTree.pseudoRandomBytes(FILE_SIZE, `${round}-${i}`));
    }
    await backup(repository, { paths: [source], parent: null });
  }
  const snapshots = await listSnapshots(repository);
  for (const old of snapshots.slice(0, 2)) await repository.backend.remove('snapshot', old.id);
  return { dir, repo, source };
}

async function assertHealthyAndComplete(repoPath: string, source: string, target: string): Promise<void> {
  const repo = await openRepo(repoPath);
  const result = await check(repo, { readData: true });
  assert.deepEqual(result.errors, [], 'check --read-data finds no error');
  const [latest] = await listSnapshots(repo);
  await restoreSnapshot(repo, latest!.id, target);
  assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
}

describe('prune', () => {
  test('frees unused space, repacks mixed packs, and the kept snapshot restores identically', async (t) => {
    const { dir, repo, source } = await prunableRepository(t);
    const before = await fsTree.dirSize(join(repo, 'data'));
    const dry = await prune(await openRepo(repo), { dryRun: true });
    assert.equal(await fsTree.dirSize(join(repo, 'data')), before, 'a dry run deletes nothing');
    const result = await prune(await openRepo(repo));
    assert.deepEqual({ ...result, dryRun: true }, dry, 'the dry run announced exactly what happened');
    assert.ok(result.packsDeleted > 0 && result.packsRepacked > 0, JSON.stringify(result));
    // 21 file versions were stored; the kept snapshot references 12 (random data: no compression).
    const after = await fsTree.dirSize(join(repo, 'data'));
    const kept = FILES * FILE_SIZE;
    assert.ok(
      after >= kept && after < kept * 1.05,
      `data went from ${before} to ${after} bytes; ${kept} are still used`,
    );
    await assertHealthyAndComplete(repo, source, join(dir, 'out'));
    assert.equal((await prune(await openRepo(repo))).packsDeleted, 0, 'a second prune has nothing to do');
  });

  test('a crash at any write or delete leaves a repository that checks clean and restores completely', async (t) => {
    const { dir, repo, source } = await prunableRepository(t);
    const counter = new CrashingBackend(new LocalBackend(join(dir, 'probe')), Infinity);
    await fs.cp(repo, join(dir, 'probe'), { recursive: true });
    await prune(await Repository.open(counter, PASSWORD));
    const changes = counter.changesMade;
    assert.ok(changes >= 6, `prune made ${changes} changes`);

    for (let crashAt = 1; crashAt <= changes; crashAt++) {
      const copy = join(dir, `crash-${crashAt}`);
      await fs.cp(repo, copy, { recursive: true });
      const crashing = await Repository.open(new CrashingBackend(new LocalBackend(copy), crashAt), PASSWORD);
      await assert.rejects(prune(crashing), SimulatedCrash, `crash at change ${crashAt}`);
      // The crashed process is gone: its lock is stale, as a later run on this host would find it.
      await unlock(await openRepo(copy), { removeAll: true });
      await assertHealthyAndComplete(copy, source, join(dir, `out-${crashAt}`));
      await prune(await openRepo(copy));
      assert.deepEqual(
        (await check(await openRepo(copy), { readData: true })).errors,
        [],
        `prune after crash ${crashAt} finishes the job`,
      );
      await fsTree.removeDir(copy);
      await fsTree.removeDir(join(dir, `out-${crashAt}`));
    }
  });

  test('waits for no one: with a backup holding its shared lock, prune fails with lock-failed', async (t) => {
    const { repo } = await prunableRepository(t);
    const holder = await openRepo(repo);
    const { RepositoryLock } = await import('../src/index.js');
    const shared = await RepositoryLock.acquire(holder, { exclusive: false });
    try {
      await assert.rejects(
        prune(await openRepo(repo)),
        (error: Error & { kind?: string }) => error.kind === 'lock-failed',
      );
    } finally {
      await shared.release();
    }
  });
});
