import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup, findSnapshot, restore, type RestoreProgress, type TreeNode } from '../src/index.js';
import { saveSnapshot } from '../src/snapshot/snapshot.js';
import { encodeTree } from '../src/tree/tree.js';
import { fsTree, initRepo, MiB, openRepo, restoredPath, scratchDir } from './helpers.js';

describe('restore figures', () => {
  test('the final progress and the result count every file and byte, with many packs read at once', async (t) => {
    const dir = await scratchDir(t, 'restore-figures');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    // Small packs: the small files land in dozens of packs, and the big file's chunks in several, so
    // jobs run side by side and the big file is finished after its last job.
    let total = 0;
    for (let i = 0; i < 120; i++) {
      const bytes = fsTree.pseudoRandomBytes(3000 + i * 17, i);
      total += bytes.length;
      await fs.writeFile(join(source, `small-${i}`), bytes);
    }
    const big = fsTree.pseudoRandomBytes(6 * MiB, 'big');
    total += big.length;
    await fs.writeFile(join(source, 'big'), big);
    await fs.utimes(join(source, 'big'), new Date('2001-01-01T00:00:00.123Z'), new Date('2002-02-02'));
    const options = { packSize: 64 * 1024, connections: 8 };
    await initRepo(join(dir, 'repo'), options);
    const repo = await openRepo(join(dir, 'repo'), undefined, options);
    const { snapshotId } = await backup(repo, { paths: [source] });
    assert.ok(repo.uploadStats.packs > 8, `only ${repo.uploadStats.packs} packs`);

    const target = join(dir, 'target');
    let last: RestoreProgress | undefined;
    const result = await restore(repo, await findSnapshot(repo, snapshotId), {
      target,
      onProgress: (progress) => (last = progress),
    });
    assert.deepEqual(result.warnings, []);
    assert.equal(result.files, 121);
    assert.equal(result.bytes, total);
    assert.equal(last?.bytesDone, total);
    assert.equal(last?.bytesTotal, total);
    assert.equal(last?.filesDone, 121);
    assert.equal(last?.filesTotal, 121);
    const restored = restoredPath(target, source);
    assert.deepEqual(await fs.readFile(join(restored, 'big')), big);
    const [original, copy] = await Promise.all(
      [source, restored].map((folder) => fs.lstat(join(folder, 'big'), { bigint: true })),
    );
    assert.equal(copy!.mtimeNs, original!.mtimeNs);
  });
});

describe('trees written before atimes and extended attributes were stored', () => {
  test('restore, with the mtime (here before 1970, to the nanosecond) as atime', async (t) => {
    const dir = await scratchDir(t, 'old-tree');
    const repo = await initRepo(join(dir, 'repo'));
    const content = Buffer.from('from an older Cairn\n');
    const blob = (await repo.saveBlob('data', content)).id;
    const mtime = '-315619199876543211'; // 1960-01-01 00:00:00.123456789 UTC
    const old = { uid: 0, gid: 0, mtime, ctime: mtime, inode: '1', device: '1', links: 1 };
    const nodes: TreeNode[] = [
      { ...old, name: 'file', type: 'file', mode: 0o640, size: content.length, content: [blob] },
      { ...old, name: 'link', type: 'symlink', mode: 0o777, linkTarget: 'file' },
    ];
    const tree = (await repo.saveBlob('tree', encodeTree({ nodes }))).id;
    await repo.flush();
    const fields = { time: new Date().toISOString(), host: 'h', username: 'u', paths: ['/'], tags: [] };
    const id = await saveSnapshot(repo, { ...fields, tree, programVersion: '0.1.0' });

    const target = join(dir, 'target');
    const result = await restore(repo, await findSnapshot(repo, id), { target });
    assert.deepEqual(result.warnings, []);
    for (const name of ['file', 'link']) {
      const stats = await fs.lstat(join(target, name), { bigint: true });
      assert.equal(stats.mtimeNs, BigInt(mtime), name);
      assert.equal(stats.atimeNs, BigInt(mtime), name);
    }
    assert.equal((await fs.stat(join(target, 'file'))).mode & 0o7777, 0o640);
    assert.deepEqual(await fs.readFile(join(target, 'file')), content);
  });
});
