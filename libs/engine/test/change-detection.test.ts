import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { before, after, describe, test } from 'node:test';
import { backup, findEntry, type BackupResult, type BackupSummary } from '../src/index.js';
import { fsTree, initRepo, MiB, openRepo, restoredPath, restoreSnapshot, scratchDir } from './helpers.js';

const FILES = 30;

describe('change detection against the parent snapshot', () => {
  let dir: string;
  let source: string;
  let repoPath: string;
  const fileAt = (i: number) => join(source, `d${i % 3}`, `file-${i}.bin`);
  const sizeOf = (i: number) => (i === 0 ? 2 * MiB : 10_000 + i);

  /**
   * The tree of the source folder itself: the snapshot's root tree also records the folders above it
   * (/tmp among them), whose times change whenever anything else on the machine makes a temp file.
   */
  async function sourceTree(result: BackupResult): Promise<string> {
    const repo = await openRepo(repoPath);
    await repo.loadIndex();
    return (await findEntry(repo, result.snapshot.tree, source)).node.subtree!;
  }

  async function backupAgain(): Promise<{ summary: BackupSummary; snapshotId: string; tree: string }> {
    const result = await backup(await openRepo(repoPath), { paths: [source] });
    assert.deepEqual(result.warnings, []);
    return {
      summary: result.snapshot.summary!,
      snapshotId: result.snapshotId,
      tree: await sourceTree(result),
    };
  }

  let firstTree: string;
  before(async () => {
    dir = await fsTree.makeTempDir('changes');
    source = join(dir, 'source');
    repoPath = join(dir, 'repo');
    for (let i = 0; i < FILES; i++) {
      await fs.mkdir(join(source, `d${i % 3}`), { recursive: true });
      await fs.writeFile(fileAt(i), fsTree.pseudoRandomBytes(sizeOf(i), `change-${i}`));
    }
    const first = await backup(await initRepo(repoPath), { paths: [source] });
    assert.equal(first.snapshot.summary!.filesNew, FILES);
    firstTree = await sourceTree(first);
  });
  after(() => fsTree.removeDir(dir));

  // The tests run in order, each one changing the source a little more.
  test('an unchanged tree is not read at all and gives the same tree', async () => {
    const { summary, tree } = await backupAgain();
    assert.equal(summary.bytesRead, 0);
    assert.equal(summary.filesUnmodified, FILES);
    assert.equal(summary.filesNew + summary.filesChanged, 0);
    assert.equal(summary.bytesAdded, 0);
    assert.equal(tree, firstTree);
  });

  test('touching one file re-reads exactly that file', async () => {
    await fs.utimes(fileAt(0), new Date('2030-01-01T00:00:00.5Z'), new Date('2030-01-01T00:00:00.5Z'));
    const { summary } = await backupAgain();
    assert.equal(summary.bytesRead, sizeOf(0));
    assert.equal(summary.filesChanged, 1);
    assert.equal(summary.filesUnmodified, FILES - 1);
    assert.equal(summary.bytesAdded, 0, 'the content is the same, so nothing new is stored');
  });

  test('new content of the same size with the old mtime is caught by the ctime', async (t) => {
    const path = fileAt(7);
    const { mtime } = await fs.stat(path);
    const replacement = fsTree.pseudoRandomBytes(sizeOf(7), 'replacement');
    await fs.writeFile(path, replacement);
    await fs.utimes(path, mtime, mtime);
    const { summary, snapshotId } = await backupAgain();
    assert.equal(summary.bytesRead, sizeOf(7));
    assert.equal(summary.filesChanged, 1);
    assert.ok(summary.bytesAdded > 0);

    const target = await scratchDir(t, 'changes-target');
    await restoreSnapshot(await openRepo(repoPath), snapshotId, target, [path]);
    assert.ok((await fs.readFile(restoredPath(target, path))).equals(replacement));
  });

  test('a new file is read as new, the others not at all', async () => {
    await fs.writeFile(join(source, 'd1', 'new.txt'), 'brand new\n');
    const { summary } = await backupAgain();
    assert.equal(summary.filesNew, 1);
    assert.equal(summary.filesUnmodified, FILES);
    assert.equal(summary.bytesRead, 'brand new\n'.length);
  });

  test('a file replaced by a copy (new inode) with the same size and mtime is read again', async () => {
    const path = fileAt(12);
    const stats = await fs.stat(path);
    const copy = `${path}.tmp`;
    await fs.copyFile(path, copy);
    await fs.rename(copy, path);
    await fs.utimes(path, stats.atime, stats.mtime);
    const { summary } = await backupAgain();
    assert.equal(summary.bytesRead, sizeOf(12));
    assert.equal(summary.filesChanged, 1);
  });
});
