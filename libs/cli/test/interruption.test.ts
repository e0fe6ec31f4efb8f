import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fsTree, initRepository, jsonLines, runCli, scratchDir, startCli } from './cli.js';

const MiB = 1024 * 1024;

async function packFiles(repo: string): Promise<{ name: string; size: number }[]> {
  const packs = [];
  for (const fanout of await fs.readdir(join(repo, 'data'))) {
    for (const name of await fs.readdir(join(repo, 'data', fanout))) {
      if (!name.startsWith('.'))
        packs.push({ name, size: (await fs.stat(join(repo, 'data', fanout, name))).size });
    }
  }
  return packs;
}

describe('a backup killed with SIGKILL', () => {
  test('leaves a repository that check accepts, and the next backup reuses the packs already written', async (t) => {
    const dir = await scratchDir(t, 'cli-sigkill');
    const source = join(dir, 'source');
    const repo = join(dir, 'repo');
    await fs.mkdir(source);
    for (let i = 0; i < 12; i++)
      await fs.writeFile(join(source, `part-${i}.bin`), fsTree.pseudoRandomBytes(16 * MiB, `kill-${i}`));
    await initRepository(repo);

    // Small packs, so several are on disk long before the backup could finish.
    const child = startCli(['backup', '--repo', repo, source, '--pack-size', '1', '--compression', 'off']);
    const exited = new Promise((resolve) => child.on('close', resolve));
    let before: { name: string; size: number }[] = [];
    for (let waited = 0; before.length < 20 && waited < 60_000; waited += 20) {
      await sleep(20);
      before = await packFiles(repo);
    }
    child.kill('SIGKILL');
    await exited;
    before = await packFiles(repo);
    assert.ok(before.length >= 20, `expected packs before the kill, found ${before.length}`);
    assert.equal(
      (await fs.readdir(join(repo, 'snapshots'))).length,
      0,
      'the killed backup saved no snapshot',
    );

    const check = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(check.code, 0, `check after the kill: ${check.stderr}`);

    const rerun = await runCli([
      'backup',
      '--repo',
      repo,
      source,
      '--pack-size',
      '1',
      '--compression',
      'off',
      '--json',
    ]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = jsonLines(rerun.stdout).find((line) => line.message_type === 'summary')!;
    const total = 12 * 16 * MiB;
    const alreadyStored = before.reduce((sum, pack) => sum + pack.size, 0);
    const written = Number(summary.bytesAdded);
    assert.ok(
      written <= total - alreadyStored * 0.95,
      `wrote ${written} bytes again although ${alreadyStored} were already stored`,
    );

    const after = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(after.code, 0, after.stderr);
    const target = join(dir, 'out');
    assert.equal((await runCli(['restore', '--repo', repo, 'latest', '--target', target])).code, 0);
    for (let i = 0; i < 12; i++) {
      const name = `part-${i}.bin`;
      assert.ok(
        (await fs.readFile(join(target, source, name))).equals(await fs.readFile(join(source, name))),
        name,
      );
    }
  });
});
