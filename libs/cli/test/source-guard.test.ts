import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { initRepository, runCli, scratchDir } from './cli.js';

const snapshotCount = async (repo: string) =>
  (JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as unknown[]).length;

async function writeFiles(dir: string, count: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await fs.writeFile(join(dir, `file-${i}.txt`), `file ${i}\n`);
}

describe('a missing or emptied source never costs the snapshots that hold the data', () => {
  test('backup refuses a source path that does not exist (exit 1), naming it', async (t) => {
    const dir = await scratchDir(t, 'cli-guard');
    const repo = join(dir, 'repo');
    await initRepository(repo);
    const missing = join(dir, 'not-mounted');
    const result = await runCli(['backup', '--repo', repo, missing]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot back up ${missing}: no such file or directory`));
    assert.equal(await snapshotCount(repo), 0);
  });

  test('backup of an empty source folder warns (exit 3)', async (t) => {
    const dir = await scratchDir(t, 'cli-guard');
    const repo = join(dir, 'repo');
    const source = join(dir, 'share');
    await fs.mkdir(source);
    await initRepository(repo);
    const result = await runCli(['backup', '--repo', repo, source]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr + result.stdout, /the source folder is empty \(not mounted yet\?\)/);
  });

  test('forget refuses while the newest snapshot holds far fewer files than its parent; --force overrides', async (t) => {
    const dir = await scratchDir(t, 'cli-guard');
    const repo = join(dir, 'repo');
    const source = join(dir, 'share');
    await initRepository(repo);
    await writeFiles(source, 10);
    assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
    assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
    for (let i = 1; i < 10; i++) await fs.rm(join(source, `file-${i}.txt`));
    assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
    const newest = (
      JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as { id: string }[]
    ).at(-1)!;

    for (const args of [
      ['--keep-last', '1'],
      ['--keep-last', '1', '--dry-run'],
    ]) {
      const refused = await runCli(['forget', '--repo', repo, ...args]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `snapshot ${newest.id.slice(0, 8)} holds 1 files, its parent \\w{8} held 10 \\(fewer than 50 %\\).*--force`,
        ),
      );
    }
    assert.equal(await snapshotCount(repo), 3, 'nothing was removed');

    await fs.rm(join(source, 'file-0.txt'));
    const empty = await runCli(['backup', '--repo', repo, source]);
    assert.equal(empty.code, 3, 'an emptied source warns');
    const zero = await runCli(['forget', '--repo', repo, '--keep-last', '1']);
    assert.equal(zero.code, 1);
    assert.match(zero.stderr, /holds 0 files, its parent \w{8} held 1 /);

    const forced = await runCli(['forget', '--repo', repo, '--keep-last', '1', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await snapshotCount(repo), 1);
  });

  test('five simultaneous `cairn init` processes make one repository; the others exit 1', async (t) => {
    const dir = await scratchDir(t, 'cli-guard');
    const repo = join(dir, 'repo');
    const results = await Promise.all(Array.from({ length: 5 }, () => runCli(['init', '--repo', repo])));
    assert.equal(results.filter((result) => result.code === 0).length, 1);
    for (const result of results.filter((result) => result.code !== 0)) {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /already exists/);
    }
    assert.equal((await fs.readdir(join(repo, 'keys'))).length, 1);
    const source = join(dir, 'source');
    await writeFiles(source, 2);
    assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
    const checked = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(checked.code, 0, checked.stderr);
  });
});
