import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fsTree, initRepository, runCli, scratchDir } from './cli.js';

const MiB = 1024 * 1024;

/** Seconds a CLI run took; bounded from below only, which no machine speed can break. */
async function timed(args: string[]): Promise<{ seconds: number; code: number; stderr: string }> {
  const started = performance.now();
  const result = await runCli(args);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

describe('cairn --limit-upload and --limit-download', () => {
  test('a 2 MiB backup at 512 KiB/s takes 4 s at least, and its restore at 1024 KiB/s 2 s at least', async (t) => {
    const dir = await scratchDir(t, 'cli-limits');
    const repo = join(dir, 'repo');
    const source = join(dir, 'source');
    await initRepository(repo);
    await fs.mkdir(source);
    // Random bytes: neither compression nor deduplication makes the upload smaller than the file.
    await fs.writeFile(join(source, 'big'), randomBytes(2 * MiB));
    const backup = await timed(['backup', '--repo', repo, '--limit-upload', '512', source]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.ok(backup.seconds >= 3.9, `backup took ${backup.seconds.toFixed(2)} s`);
    const target = join(dir, 'target');
    const restore = await timed([
      'restore',
      '--repo',
      repo,
      'latest',
      '--target',
      target,
      '--limit-download',
      '1024',
    ]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.ok(restore.seconds >= 1.9, `restore took ${restore.seconds.toFixed(2)} s`);
    assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
  });
});
