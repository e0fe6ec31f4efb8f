import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBackend, Repository, RepositoryLock } from '@cairn/engine';
import { cliEnv, fsTree, initRepository, PASSWORD, runCli, scratchDir, type CliResult } from './cli.js';

/** Bad input must end in one clear line on stderr: no stack trace, no noise. */
function assertOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^cairn: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
}

describe('cairn on bad input', () => {
  test('wrong password exits 12', async (t) => {
    const dir = await scratchDir(t, 'cli-wrong-password');
    await initRepository(join(dir, 'repo'));
    const result = await runCli(['snapshots', '--repo', join(dir, 'repo')], {
      env: cliEnv({ CAIRN_PASSWORD: 'not it' }),
    });
    assertOneLineError(result, 12, /wrong password/);
  });

  test('a missing repository exits 10', async (t) => {
    const dir = await scratchDir(t, 'cli-missing');
    assertOneLineError(
      await runCli(['snapshots', '--repo', join(dir, 'nothing-here')]),
      10,
      /no repository at .*cairn init/,
    );
  });

  test('an unknown flag, a malformed URL, a missing argument and init over a repository exit 1', async (t) => {
    const dir = await scratchDir(t, 'cli-usage');
    await initRepository(join(dir, 'repo'));
    assertOneLineError(await runCli(['backup', '--bogus']), 1, /unknown option '--bogus'/);
    assertOneLineError(
      await runCli(['snapshots', '--repo', 'ftp://host/x']),
      1,
      /unsupported repository URL scheme "ftp:"/,
    );
    assertOneLineError(await runCli(['restore', '--repo', join(dir, 'repo'), 'latest']), 1, /--target/);
    assertOneLineError(await runCli(['init', '--repo', join(dir, 'repo')]), 1, /already exists/);
    assertOneLineError(
      await runCli(['backup', '--repo', join(dir, 'repo'), join(dir, 'no-such-path')]),
      1,
      /no such file or directory/,
    );
    assertOneLineError(
      await runCli(['restore', '--repo', join(dir, 'repo'), 'zz', '--target', dir]),
      1,
      /not a snapshot id/,
    );
    assertOneLineError(
      await runCli(['backup', '--repo', join(dir, 'repo'), dir, '--time', 'yesterday']),
      1,
      /ISO-8601/,
    );
  });

  test('a bandwidth limit of 0, below 0 or in words is refused naming the flag, from the command line or the environment', async () => {
    for (const value of ['0', '-5', 'fast', '1.5'])
      assertOneLineError(
        await runCli(['snapshots', '--repo', '/nowhere', '--limit-upload', value]),
        1,
        /--limit-upload takes a whole number of KiB\/s above 0/,
      );
    assertOneLineError(
      await runCli(['snapshots', '--repo', '/nowhere'], { env: cliEnv({ CAIRN_LIMIT_DOWNLOAD: '0' }) }),
      1,
      /CAIRN_LIMIT_DOWNLOAD.*--limit-download takes a whole number of KiB\/s above 0/,
    );
  });

  test('no password and no terminal: a clear message, not a hang', async (t) => {
    const dir = await scratchDir(t, 'cli-no-password');
    await initRepository(join(dir, 'repo'));
    const result = await runCli(['snapshots', '--repo', join(dir, 'repo')], {
      env: cliEnv({ CAIRN_PASSWORD: '' }),
    });
    assertOneLineError(result, 1, /CAIRN_PASSWORD/);
  });

  test('a repository inside the backup source is refused unless excluded', async (t) => {
    const dir = await scratchDir(t, 'cli-inside');
    const repo = join(dir, 'repo');
    await fs.writeFile(join(dir, 'file'), 'data');
    await initRepository(repo);
    assertOneLineError(await runCli(['backup', '--repo', repo, dir]), 1, /inside the backup source/);
    const excluded = await runCli(['backup', '--repo', repo, dir, '--exclude', repo]);
    assert.equal(excluded.code, 0, excluded.stderr);
  });

  test('a restore target inside the repository is refused', async (t) => {
    const dir = await scratchDir(t, 'cli-target');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(dir, 'src'));
    await initRepository(repo);
    await runCli(['backup', '--repo', repo, join(dir, 'src')]);
    assertOneLineError(
      await runCli(['restore', '--repo', repo, 'latest', '--target', join(repo, 'x')]),
      1,
      /inside the repository/,
    );
  });

  test('a held exclusive lock makes backup exit 11 naming the holder', async (t) => {
    const dir = await scratchDir(t, 'cli-lock');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(dir, 'src'));
    // A source with a file: an empty one is a warning now (a share not mounted?).
    await fs.writeFile(join(dir, 'src', 'note.txt'), 'kept\n');
    await initRepository(repo);
    const holder = await Repository.open(new LocalBackend(repo), PASSWORD);
    const lock = await RepositoryLock.acquire(holder, { exclusive: true });
    try {
      assertOneLineError(
        await runCli(['backup', '--repo', repo, join(dir, 'src')]),
        11,
        new RegExp(`locked exclusively by PID ${process.pid}`),
      );
    } finally {
      await lock.release();
    }
    assert.equal(
      (await runCli(['backup', '--repo', repo, join(dir, 'src')])).code,
      0,
      'works once the lock is gone',
    );
  });

  test('check --read-data exits non-zero and names a damaged pack', async (t) => {
    const dir = await scratchDir(t, 'cli-damage');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(dir, 'src'));
    await fs.writeFile(join(dir, 'src', 'data.bin'), fsTree.pseudoRandomBytes(200_000, 'damage'));
    await initRepository(repo);
    await runCli(['backup', '--repo', repo, join(dir, 'src')]);
    const packs: string[] = [];
    for (const fanout of await fs.readdir(join(repo, 'data'))) {
      for (const name of await fs.readdir(join(repo, 'data', fanout))) packs.push(`data/${fanout}/${name}`);
    }
    const dataPack = (
      await Promise.all(packs.map(async (p) => ({ p, size: (await fs.stat(join(repo, p))).size })))
    ).sort((a, b) => b.size - a.size)[0]!.p;
    await fsTree.flipByte(join(repo, dataPack), 1000);
    const result = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(dataPack), result.stderr);
    assert.match(result.stderr, /data\.bin is damaged/);
  });
});
