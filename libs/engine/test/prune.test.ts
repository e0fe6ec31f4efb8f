import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  backup,
  check,
  listSnapshots,
  prune,
  Repository,
  RepositoryLock,
  unlock,
  type Backend,
} from '../src/index.js';
import { BACKEND_KINDS, copyRepository, packBytes, type BackendFactory } from './backends-under-test.js';
import { CrashingBackend, SimulatedCrash } from './crashing-backend.js';
import { FAST_KDF, fsTree, MiB, PASSWORD, restoreSnapshot, scratchDir } from './helpers.js';

const FILES = 12;
const FILE_SIZE = 200 * 1024;

/**
 * A repository where prune has every kind of work: three snapshots of a changing folder, the first
 * two forgotten, small packs so that some hold only forgotten data and some a mix.
 */
async function prunableRepository(
  t: TestContext,
  locations: BackendFactory,
): Promise<{ dir: string; base: Backend; source: string }> {
  const dir = await scratchDir(t, 'prune');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  const base = locations('base');
  const repository = await Repository.init(base, PASSWORD, { kdf: FAST_KDF, packSize: 1 * MiB });
  // Round 0 writes every file; later rounds replace some, so round 0's packs end up part used.
  const rewrites = [() => true, (i: number) => i % 2 === 0, (i: number) => i % 2 === 1 && i < 6];
  for (const [round, rewrite] of rewrites.entries()) {
    for (let i = 0; i < FILES; i++) {
      if (rewrite(i))
        await fs.writeFile(join(source, `file-${i}`), fsTree.pseudoRandomBytes(FILE_SIZE, `${round}-${i}`));
    }
    await backup(repository, { paths: [source], parent: null });
  }
  for (const old of (await listSnapshots(repository)).slice(0, 2)) await base.remove('snapshot', old.id);
  return { dir, base, source };
}

async function assertHealthyAndComplete(backend: Backend, source: string, target: string): Promise<void> {
  const repo = await Repository.open(backend, PASSWORD);
  assert.deepEqual((await check(repo, { readData: true })).errors, [], 'check --read-data finds no error');
  const [latest] = await listSnapshots(repo);
  await restoreSnapshot(repo, latest!.id, target);
  assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
}

const open = (backend: Backend) => Repository.open(backend, PASSWORD);

for (const kind of BACKEND_KINDS) {
  describe(`prune on ${kind.name}`, () => {
    test('frees unused space, repacks mixed packs, and the kept snapshot restores identically', async (t) => {
      const { dir, base, source } = await prunableRepository(t, await kind.start(t));
      const before = await packBytes(base);
      const dry = await prune(await open(base), { dryRun: true });
      assert.equal(await packBytes(base), before, 'a dry run deletes nothing');
      const result = await prune(await open(base));
      assert.deepEqual({ ...result, dryRun: true }, dry, 'the dry run announced exactly what happened');
      assert.ok(result.packsDeleted > 0 && result.packsRepacked > 0, JSON.stringify(result));
      // 21 file versions were stored; the kept snapshot references 12 (random data: no compression).
      const after = await packBytes(base);
      const kept = FILES * FILE_SIZE;
      assert.ok(
        after >= kept && after < kept * 1.05,
        `packs went from ${before} to ${after} bytes; ${kept} are still used`,
      );
      await assertHealthyAndComplete(base, source, join(dir, 'out'));
      assert.equal((await prune(await open(base))).packsDeleted, 0, 'a second prune has nothing to do');
    });

    test('a crash at any write or delete leaves a repository that checks clean and restores completely', async (t) => {
      const locations = await kind.start(t);
      const { dir, base, source } = await prunableRepository(t, locations);
      const probe = locations('probe');
      await copyRepository(base, probe);
      const counter = new CrashingBackend(probe, Infinity);
      await prune(await open(counter));
      const changes = counter.changesMade;
      assert.ok(changes >= 6, `prune made ${changes} changes`);

      for (let crashAt = 1; crashAt <= changes; crashAt++) {
        const copy = locations(`crash-${crashAt}`);
        await copyRepository(base, copy);
        await assert.rejects(
          prune(await open(new CrashingBackend(copy, crashAt))),
          SimulatedCrash,
          `crash at change ${crashAt}`,
        );
        // The crashed process is gone: its lock is stale, as a later run on this host would find it.
        await unlock(await open(copy), { removeAll: true });
        const out = join(dir, `out-${crashAt}`);
        await assertHealthyAndComplete(copy, source, out);
        await prune(await open(copy));
        assert.deepEqual(
          (await check(await open(copy), { readData: true })).errors,
          [],
          `prune after crash ${crashAt} finishes the job`,
        );
        await fsTree.removeDir(out);
      }
    });

    test('prune does not run while a backup holds its shared lock: it fails with lock-failed', async (t) => {
      const { base } = await prunableRepository(t, await kind.start(t));
      const shared = await RepositoryLock.acquire(await open(base), { exclusive: false });
      try {
        await assert.rejects(
          prune(await open(base)),
          (error: Error & { kind?: string }) => error.kind === 'lock-failed',
        );
      } finally {
        await shared.release();
      }
    });
  });
}
