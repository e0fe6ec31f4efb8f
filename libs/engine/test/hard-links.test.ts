import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backup } from '../src/index.js';
import { initRepo, scratchDir } from './helpers.js';

test('every name of a hard-linked file counts as a file, in the first backup and in the next', async (t) => {
  const source = await scratchDir(t, 'hard-links');
  await fs.writeFile(join(source, 'original'), 'shared content');
  await fs.link(join(source, 'original'), join(source, 'second name'));
  await fs.link(join(source, 'original'), join(source, 'third name'));
  await fs.writeFile(join(source, 'other'), 'other content');
  const repo = await initRepo(await scratchDir(t, 'hard-links-repo'));
  t.after(() => repo.close());

  const first = (await backup(repo, { paths: [source] })).snapshot.summary!;
  assert.equal(first.filesNew, 4);
  assert.equal(first.bytesRead, 'shared content'.length + 'other content'.length, 'the content is read once');
  const again = (await backup(repo, { paths: [source] })).snapshot.summary!;
  assert.equal(again.filesUnmodified, 4);
  assert.equal(again.filesNew + again.filesChanged, 0);
});
