import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  backup,
  check,
  findEntry,
  listSnapshots,
  repairIndex,
  repairSnapshots,
  Repository,
  type Backend,
} from '../src/index.js';
import { filePath } from '../src/backends/backend.js';
import { BACKEND_KINDS } from './backends-under-test.js';
import { FAST_KDF, fsTree, MiB, PASSWORD, restoreSnapshot, scratchDir } from './helpers.js';

async function repositoryWithTwoSnapshots(
  t: TestContext,
  backend: Backend,
): Promise<{ dir: string; source: string }> {
  const dir = await scratchDir(t, 'repair');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fsTree.buildSourceTree(source, { largeFiles: false });
  const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF, packSize: 256 * 1024 });
  await backup(repository, { paths: [source] });
  await fs.writeFile(join(source, 'added-later.bin'), fsTree.pseudoRandomBytes(1 * MiB, 'later'));
  await backup(repository, { paths: [source] });
  return { dir, source };
}

const open = (backend: Backend) => Repository.open(backend, PASSWORD);

async function restoresIdentically(backend: Backend, source: string, target: string): Promise<void> {
  const repo = await open(backend);
  for (const snapshot of await listSnapshots(repo)) {
    const out = join(target, snapshot.id.slice(0, 8));
    await restoreSnapshot(repo, snapshot.id, out);
    const restored = await fsTree.describeTree(join(out, source));
    const expected = await fsTree.describeTree(source);
    if (!restored['added-later.bin']) {
      // The older snapshot predates that file, and so the folder's current mtime.
      delete expected['added-later.bin'];
      delete expected['.'];
      delete restored['.'];
    }
    assert.deepEqual(restored, expected, `snapshot ${snapshot.id.slice(0, 8)}`);
  }
}

for (const kind of BACKEND_KINDS) {
  describe(`disaster recovery on ${kind.name}`, () => {
    test('every index file deleted: repair index rebuilds them, check --read-data passes, every snapshot restores', async (t) => {
      const backend = (await kind.start(t))('lost-index');
      const { dir, source } = await repositoryWithTwoSnapshots(t, backend);
      for (const { name } of await backend.list('index')) await backend.remove('index', name);
      assert.notDeepEqual((await check(await open(backend))).errors, [], 'check sees the loss');

      const result = await repairIndex(await open(backend));
      assert.deepEqual(result.damaged, []);
      assert.ok(result.packs > 2);
      assert.deepEqual((await check(await open(backend), { readData: true })).errors, []);
      await restoresIdentically(backend, source, join(dir, 'out'));
    });

    test('one pack deleted: check names the pack and the files; repair snapshots keeps the rest restorable', async (t) => {
      const backend = (await kind.start(t))('lost-pack');
      const { dir, source } = await repositoryWithTwoSnapshots(t, backend);
      const opened = await open(backend);
      await opened.loadIndex();
      // The pack holding the content of small.txt, which both snapshots share.
      const latest = (await listSnapshots(opened)).at(-1)!;
      const small = await findEntry(opened, latest.tree, `${source}/small.txt`);
      const packId = opened.index.get(small.node.content![0]!)!.packId;
      await backend.remove('pack', packId);

      const damaged = await check(await open(backend));
      assert.ok(
        damaged.errors.some((error) => error.file === filePath('pack', packId)),
        'names the pack',
      );
      assert.ok(
        damaged.errors.some((error) => error.message.includes('small.txt is damaged')),
        'names the file',
      );

      await repairIndex(await open(backend));
      const repaired = await repairSnapshots(await open(backend), { forget: true });
      assert.equal(repaired.length, 2, 'both snapshots referenced the lost pack');
      assert.ok(repaired.every((snapshot) => snapshot.lost.some((path) => path.endsWith('/small.txt'))));
      assert.deepEqual((await check(await open(backend), { readData: true })).errors, []);

      const after = await open(backend);
      const snapshots = await listSnapshots(after);
      assert.equal(snapshots.length, 2);
      assert.ok(snapshots.every((snapshot) => snapshot.tags.includes('repaired')));
      const target = join(dir, 'out');
      await restoreSnapshot(after, snapshots.at(-1)!.id, target);
      const restored = await fsTree.describeTree(join(target, source));
      const original = await fsTree.describeTree(source);
      const lostCount = new Set(repaired.flatMap((snapshot) => snapshot.lost)).size;
      // Hard links are described by their partners, one of which may be lost: compare without them.
      const plain = ({ hardLinks: _links, ...entry }: (typeof original)[string]) => entry;
      for (const [path, entry] of Object.entries(restored)) {
        assert.deepEqual(plain(entry), plain(original[path]!), `${path} is restored exactly`);
      }
      assert.equal(
        Object.keys(restored).length,
        Object.keys(original).length - lostCount,
        'only the lost files are missing',
      );
    });
  });
}
