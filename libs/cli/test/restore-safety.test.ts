import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { initRepository, runCli, scratchDir } from './cli.js';

async function setup(t: TestContext, prefix: string) {
  const dir = await scratchDir(t, prefix);
  const [source, outside, target, repo] = ['source', 'outside', 'target', 'repo'].map((name) =>
    join(dir, name),
  ) as [string, string, string, string];
  await fs.mkdir(source);
  await fs.mkdir(outside);
  await fs.chmod(outside, 0o755);
  await initRepository(repo);
  const snapshot = async () => {
    const result = await runCli(['backup', '--repo', repo, '--json', source]);
    assert.equal(result.code, 0, result.stderr);
    return /"snapshot_id":"([0-9a-f]+)"/.exec(result.stdout)![1]!;
  };
  const restore = (id: string, ...flags: string[]) =>
    runCli(['restore', '--repo', repo, id, '--target', target, ...flags]);
  return { source, outside, target, snapshot, restore, restored: join(target, source) };
}

describe('cairn restore', () => {
  test('into a target holding a symlink where the snapshot has a folder writes and chmods nothing outside', async (t) => {
    const s = await setup(t, 'cli-symlink');
    await fs.symlink(s.outside, join(s.source, 'd'));
    const asLink = await s.snapshot();
    await fs.rm(join(s.source, 'd'));
    await fs.mkdir(join(s.source, 'd'));
    await fs.writeFile(join(s.source, 'd', 'payload.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await fs.chmod(join(s.source, 'd'), 0o777);
    const asFolder = await s.snapshot();

    for (const id of [asLink, asFolder]) {
      const result = await s.restore(id);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.deepEqual(await fs.readdir(s.outside), []);
    assert.equal((await fs.stat(s.outside)).mode & 0o7777, 0o755);
    assert.equal((await fs.lstat(join(s.restored, 'd'))).mode & 0o7777, 0o777);
    assert.ok((await fs.lstat(join(s.restored, 'd', 'payload.sh'))).isFile());

    const back = await s.restore(asLink);
    assert.equal(back.code, 3, 'a refused entry is a warning');
    assert.match(back.stderr, /d: not restored: a folder with content is in the way of this symlink/);
    assert.deepEqual(await fs.readdir(s.outside), []);
  });

  test('recreates a device node only with --devices', async (t) => {
    if (process.getuid?.() !== 0) throw new Error('making a device node needs root');
    const s = await setup(t, 'cli-devices');
    execFileSync('mknod', [join(s.source, 'mem'), 'c', '1', '1']);
    const id = await s.snapshot();

    const plain = await s.restore(id);
    assert.equal(plain.code, 3, plain.stderr);
    assert.match(
      plain.stderr,
      /mem: device node not restored: recreating devices must be asked for \(--devices\)/,
    );
    await assert.rejects(fs.lstat(join(s.restored, 'mem')), { code: 'ENOENT' });

    const asked = await s.restore(id, '--devices');
    assert.equal(asked.code, 0, asked.stderr);
    assert.ok((await fs.lstat(join(s.restored, 'mem'))).isCharacterDevice());
  });
});
