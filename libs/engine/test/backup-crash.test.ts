import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup, check, listSnapshots, Repository, unlock, type Backend } from '../src/index.js';
import { BACKEND_KINDS_ALL_S3, copyRepository } from './backends-under-test.js';
import { CrashingBackend, SimulatedCrash } from './crashing-backend.js';
import {
  FAST_KDF,
  fsTree,
  MiB,
  PASSWORD,
  restoreSnapshot,
  scratchDir,
  unpaddedPackBytes,
} from './helpers.js';

const OPTIONS = { packSize: 256 * 1024, compression: 'off' as const };
const open = (backend: Backend) => Repository.open(backend, PASSWORD, OPTIONS);

for (const kind of BACKEND_KINDS_ALL_S3) {
  describe(`a backup that crashes, on ${kind.name}`, () => {
    test('at any write leaves a repository that checks clean, keeps earlier snapshots, and is resumed without re-uploading', async (t) => {
      const locations = await kind.start(t);
      const dir = await scratchDir(t, 'backup-crash');
      const source = join(dir, 'source');
      await fs.mkdir(source);
      await fs.writeFile(join(source, 'first.bin'), fsTree.pseudoRandomBytes(1 * MiB, 'first'));
      const base = locations('base');
      await backup(await Repository.init(base, PASSWORD, { kdf: FAST_KDF, ...OPTIONS }), { paths: [source] });
      for (let i = 0; i < 6; i++)
        await fs.writeFile(join(source, `new-${i}.bin`), fsTree.pseudoRandomBytes(600 * 1024, `new-${i}`));

      const probe = locations('probe');
      await copyRepository(base, probe);
      const counter = new CrashingBackend(probe, Infinity);
      await backup(await open(counter), { paths: [source] });
      const changes = counter.changesMade;
      assert.ok(changes >= 10, `a backup made ${changes} changes`);

      for (let crashAt = 1; crashAt <= changes; crashAt++) {
        const copy = locations(`crash-${crashAt}`);
        await copyRepository(base, copy);
        await assert.rejects(
          backup(await open(new CrashingBackend(copy, crashAt)), { paths: [source] }),
          SimulatedCrash,
          `crash at change ${crashAt}`,
        );
        await unlock(await open(copy), { removeAll: true });
        assert.deepEqual(
          (await check(await open(copy), { readData: true })).errors,
          [],
          `check after crash ${crashAt}`,
        );

        // Without padding, which differs between two packs of the same blobs.
        const packsBefore = await unpaddedPackBytes(await open(copy));
        const resumed = await backup(await open(copy), { paths: [source] });
        const uploadedAgain = (await unpaddedPackBytes(await open(copy))) - packsBefore;
        const newData = 6 * 600 * 1024;
        assert.ok(
          uploadedAgain <= newData - (packsBefore - 1 * MiB) + 64 * 1024,
          `crash ${crashAt}: ${uploadedAgain} bytes uploaded again`,
        );
        assert.equal(resumed.warnings.length, 0);
        const out = join(dir, `out-${crashAt}`);
        const repo = await open(copy);
        await restoreSnapshot(repo, (await listSnapshots(repo)).at(-1)!.id, out);
        assert.deepEqual(
          await fsTree.describeTree(join(out, source)),
          await fsTree.describeTree(source),
          `restore after crash ${crashAt}`,
        );
        await fsTree.removeDir(out);
      }
    });
  });
}
