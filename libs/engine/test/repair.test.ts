import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { backup, check, listSnapshots, repairIndex, repairSnapshots } from '../src/index.js';
import { fsTree, initRepo, MiB, openRepo, restoreSnapshot, scratchDir } from './helpers.js';

async function repositoryWithTwoSnapshots(
  t: TestContext,
): Promise<{ dir: string; repo: string; source: string }> {
  const dir = await scratchDir(t, 'repair');
  const source = join(dir, 'source');
  const repo = join(dir, 'repo');
  await fs.mkdir(source);
  await fsTree.buildSourceTree(source, { largeFiles: false });
  const repository = await initRepo(repo, { packSize: 256 * 1024 });
  await backup(repository, { paths: [source] });
  await fs.writeFile(join(source, 'added-later.bin'), fsTree.pseudoRandomBytes(1 * MiB, 'later'));
  await backup(repository, { paths: [source] });
  return { dir, repo, source };
}

async function restoresIdentically(repoPath: string, source: string, target: string): Promise<void> {
  const repo = await openRepo(repoPath);
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

describe('disaster recovery', () => {
  test('every index file deleted: repair index rebuilds them, check --read-data passes, every snapshot restores', async (t) => {
    const { dir, repo, source } = await repositoryWithTwoSnapshots(t);
    for (const name of await fs.readdir(join(repo, 'index'))) await fs.rm(join(repo, 'index', name));
    assert.notDeepEqual((await check(await openRepo(repo))).errors, [], 'check sees the loss');

    const result = await repairIndex(await openRepo(repo));
    assert.deepEqual(result.damaged, []);
    assert.ok(result.packs > 2);
    assert.deepEqual((await check(await openRepo(repo), { readData: true })).errors, []);
    await restoresIdentically(repo, source, join(dir, 'out'));
  });

  test('one pack deleted: check names the pack and the files; repair snapshots keeps the rest restorable', async (t) => {
    const { dir, repo, source } = await repositoryWithTwoSnapshots(t);
    const opened = await openRepo(repo);
    await opened.loadIndex();
    // The pack holding the content of small.txt, which both snapshots share.
    const [latest] = (await listSnapshots(opened)).slice(-1);
    const victimBlob = (await import('../src/index.js')).loadTree;
    const root = await victimBlob(opened, latest!.tree);
    let tree = root;
    for (const name of source.split('/').filter(Boolean))
      tree = await victimBlob(opened, tree.nodes.find((n) => n.name === name)!.subtree!);
    const small = tree.nodes.find((node) => node.name === 'small.txt')!;
    const packId = opened.index.get(small.content![0]!)!.packId;
    await fs.rm(join(repo, 'data', packId.slice(0, 2), packId));

    const damaged = await check(await openRepo(repo));
    assert.ok(
      damaged.errors.some((error) => error.file === `data/${packId.slice(0, 2)}/${packId}`),
      'names the pack',
    );
    assert.ok(
      damaged.errors.some((error) => error.message.includes('small.txt is damaged')),
      'names the file',
    );

    await repairIndex(await openRepo(repo));
    const repaired = await repairSnapshots(await openRepo(repo), { forget: true });
    assert.equal(repaired.length, 2, 'both snapshots referenced the lost pack');
    assert.ok(repaired.every((snapshot) => snapshot.lost.some((path) => path.endsWith('/small.txt'))));
    assert.deepEqual((await check(await openRepo(repo), { readData: true })).errors, []);

    const after = await openRepo(repo);
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
