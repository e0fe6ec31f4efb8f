import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backup } from '../src/index.js';
import { fsTree, initRepo, MiB, openRepo, scratchDir } from './helpers.js';

/** Incompressible, compressible and many small files, about 22 MiB in all. */
async function writeMixedData(dir: string): Promise<number> {
  await fs.mkdir(join(dir, 'small'), { recursive: true });
  await fs.writeFile(join(dir, 'random.bin'), fsTree.pseudoRandomBytes(16 * MiB, 'dedup'));
  const log = Array.from(
    { length: 60_000 },
    (_, i) => `2026-01-01T00:00:${i % 60} INFO worker ${i % 17} handled request ${i}\n`,
  );
  await fs.writeFile(join(dir, 'app.log'), log.join(''));
  for (let i = 0; i < 200; i++)
    await fs.writeFile(join(dir, 'small', `f${i}`), fsTree.pseudoRandomBytes(1000 + i * 37, `small-${i}`));
  return fsTree.dirSize(dir);
}

test('backing up the same data again adds under 1 % of its size', async (t) => {
  const dir = await scratchDir(t, 'dedup');
  const source = join(dir, 'source');
  const repoPath = join(dir, 'repo');
  const dataSize = await writeMixedData(source);
  const first = await backup(await initRepo(repoPath), { paths: [source] });
  let repoSize = await fsTree.dirSize(repoPath);

  // No parent: every file is read and chunked again, so only deduplication can keep it small.
  const again = await backup(await openRepo(repoPath), { paths: [source], parent: null });
  assert.equal(again.snapshot.summary!.bytesRead, first.snapshot.summary!.bytesRead);
  assert.ok(
    again.snapshot.summary!.bytesAdded < dataSize / 100,
    `added ${again.snapshot.summary!.bytesAdded}`,
  );
  let growth = (await fsTree.dirSize(repoPath)) - repoSize;
  assert.ok(growth < dataSize / 100, `repository grew by ${growth} bytes for ${dataSize} bytes of data`);

  // A copy elsewhere has new names, inodes and times but the same content.
  repoSize += growth;
  const copy = join(dir, 'copy');
  await fs.cp(source, copy, { recursive: true });
  const copied = await backup(await openRepo(repoPath), { paths: [copy] });
  assert.equal(copied.snapshot.summary!.filesNew, 202);
  assert.ok(copied.snapshot.summary!.bytesAdded < dataSize / 100);
  growth = (await fsTree.dirSize(repoPath)) - repoSize;
  assert.ok(growth < dataSize / 100, `repository grew by ${growth} bytes for a copy of ${dataSize} bytes`);
});

test('two copies of a 20 MiB file in one backup cost one', async (t) => {
  const dir = await scratchDir(t, 'dedup-twice');
  const source = join(dir, 'source');
  const repoPath = join(dir, 'repo');
  const content = fsTree.pseudoRandomBytes(20 * MiB, 'twice');
  await fs.mkdir(join(source, 'sub'), { recursive: true });
  await fs.writeFile(join(source, 'one.bin'), content);
  await fs.writeFile(join(source, 'sub', 'two.bin'), content);

  const { snapshot } = await backup(await initRepo(repoPath), { paths: [source] });
  assert.equal(
    snapshot.summary!.bytesRead,
    2 * content.length,
    'both copies are read (they are not hard links)',
  );
  const repoSize = await fsTree.dirSize(repoPath);
  assert.ok(repoSize >= content.length, 'random data cannot be stored in less than its size');
  assert.ok(
    repoSize < 1.1 * content.length,
    `repository is ${repoSize} bytes for one ${content.length}-byte file`,
  );
  assert.ok(snapshot.summary!.bytesAdded < 1.1 * content.length);
});
