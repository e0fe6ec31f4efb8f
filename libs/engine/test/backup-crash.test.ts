import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup, check, listSnapshots, LocalBackend, Repository, unlock } from '../src/index.js';
import { CrashingBackend, SimulatedCrash } from './crashing-backend.js';
import { fsTree, initRepo, MiB, openRepo, PASSWORD, restoreSnapshot, scratchDir } from './helpers.js';

describe('a backup that crashes', () => {
  test('at any write leaves a repository that checks clean, keeps earlier snapshots, and is resumed without re-uploading', async (t) => {
    const dir = await scratchDir(t, 'backup-crash');
    const source = join(dir, 'source');
    const repo = join(dir, 'repo');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'first.bin'), fsTree.pseudoRandomBytes(1 * MiB, 'first'));
    const options = { packSize: 256 * 1024, compression: 'off' as const };
    await backup(await initRepo(repo, options), { paths: [source] });
    for (let i = 0; i < 6; i++)
      await fs.writeFile(join(source, `new-${i}.bin`), fsTree.pseudoRandomBytes(600 * 1024, `new-${i}`));

    const counter = new CrashingBackend(new LocalBackend(join(dir, 'probe')), Infinity);
    await fs.cp(repo, join(dir, 'probe'), { recursive: true });
    await backup(await Repository.open(counter, PASSWORD, options), { paths: [source] });
    const changes = counter.changesMade;
    assert.ok(changes >= 10, `a backup made ${changes} changes`);

    for (let crashAt = 1; crashAt <= changes; crashAt++) {
      const copy = join(dir, `crash-${crashAt}`);
      await fs.cp(repo, copy, { recursive: true });
      const crashing = await Repository.open(
        new CrashingBackend(new LocalBackend(copy), crashAt),
        PASSWORD,
        options,
      );
      await assert.rejects(
        backup(crashing, { paths: [source] }),
        SimulatedCrash,
        `crash at change ${crashAt}`,
      );
      await unlock(await openRepo(copy), { removeAll: true });
      assert.deepEqual(
        (await check(await openRepo(copy), { readData: true })).errors,
        [],
        `check after crash ${crashAt}`,
      );

      const packsBefore = await fsTree.dirSize(join(copy, 'data'));
      const resumed = await backup(await openRepo(copy, PASSWORD, options), { paths: [source] });
      const uploadedAgain = (await fsTree.dirSize(join(copy, 'data'))) - packsBefore;
      const newData = 6 * 600 * 1024;
      assert.ok(
        uploadedAgain <= newData - (packsBefore - 1 * MiB) + 64 * 1024,
        `crash ${crashAt}: ${uploadedAgain} bytes uploaded again`,
      );
      assert.equal(resumed.warnings.length, 0);
      const snapshots = await listSnapshots(await openRepo(copy));
      const out = join(dir, `out-${crashAt}`);
      await restoreSnapshot(await openRepo(copy), snapshots.at(-1)!.id, out);
      assert.deepEqual(
        await fsTree.describeTree(join(out, source)),
        await fsTree.describeTree(source),
        `restore after crash ${crashAt}`,
      );
      await fsTree.removeDir(copy);
      await fsTree.removeDir(out);
    }
  });
});
