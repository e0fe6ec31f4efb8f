import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBackend, Repository } from '@cairn/engine';
import { fsTree, initRepository, jsonLines, PASSWORD, runCli, scratchDir, startCli } from './cli.js';

const MiB = 1024 * 1024;

async function sourceWithSnapshots(dir: string, repo: string): Promise<string> {
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fsTree.buildSourceTree(source, { largeFiles: false });
  await initRepository(repo);
  assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
  await fs.writeFile(join(source, 'later.bin'), fsTree.pseudoRandomBytes(2 * MiB, 'later'));
  assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
  return source;
}

describe('repository life cycle from the command line', () => {
  test('copy to a repository made with --copy-params-from moves blobs as they are; copying again moves nothing', async (t) => {
    const dir = await scratchDir(t, 'cli-copy');
    const source = await sourceWithSnapshots(dir, join(dir, 'one'));
    const init = await runCli(['init', '--repo', join(dir, 'two'), '--copy-params-from', join(dir, 'one')]);
    assert.equal(init.code, 0, init.stderr);

    const first = await runCli([
      'copy',
      '--repo',
      join(dir, 'two'),
      '--from-repo',
      join(dir, 'one'),
      '--json',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as { copied: unknown[]; blobsCopied: number; rechunked: boolean };
    assert.equal(result.copied.length, 2);
    assert.equal(result.rechunked, false);
    assert.ok(result.blobsCopied > 0);

    const again = JSON.parse(
      (await runCli(['copy', '--repo', join(dir, 'two'), '--from-repo', join(dir, 'one'), '--json'])).stdout,
    ) as typeof result;
    assert.deepEqual([again.copied.length, again.blobsCopied], [0, 0], 'copying again transfers nothing new');

    const target = join(dir, 'out');
    assert.equal(
      (await runCli(['restore', '--repo', join(dir, 'two'), 'latest', '--target', target])).code,
      0,
    );
    assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
    assert.equal((await runCli(['check', '--repo', join(dir, 'two'), '--read-data'])).code, 0);
  });

  test('copy into an unrelated repository re-chunks, says so, and restores identically', async (t) => {
    const dir = await scratchDir(t, 'cli-copy-slow');
    const source = await sourceWithSnapshots(dir, join(dir, 'one'));
    await initRepository(join(dir, 'other'));
    const copied = await runCli(['copy', '--repo', join(dir, 'other'), '--from-repo', join(dir, 'one')]);
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(copied.stderr, /re-chunked \(the slow path/);
    const target = join(dir, 'out');
    assert.equal(
      (await runCli(['restore', '--repo', join(dir, 'other'), 'latest', '--target', target])).code,
      0,
    );
    assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
  });

  test('prune during a backup exits 11 naming the backup, or waits for it with --retry-lock', async (t) => {
    const dir = await scratchDir(t, 'cli-concurrent');
    const repo = join(dir, 'repo');
    const source = join(dir, 'big');
    await fs.mkdir(source);
    for (let i = 0; i < 4; i++)
      await fs.writeFile(join(source, `f${i}`), fsTree.pseudoRandomBytes(16 * MiB, `c${i}`));
    await initRepository(repo);
    const backup = startCli(['backup', '--repo', repo, source, '--compression', 'max']);
    const backupDone = new Promise<number>((resolve) => backup.on('close', (code) => resolve(code ?? -1)));
    // A lock is saved as a temp file, then renamed: only the renamed one counts.
    const saved = async () => (await fs.readdir(join(repo, 'locks'))).some((name) => !name.startsWith('.'));
    while (!(await saved())) await new Promise((resolve) => setTimeout(resolve, 20));
    // Frozen while it holds its lock, the backup is still running however fast this machine is.
    backup.kill('SIGSTOP');
    t.after(() => backup.kill('SIGKILL'));

    const refused = await runCli(['prune', '--repo', repo]);
    assert.equal(refused.code, 11, refused.stderr);
    assert.match(refused.stderr, /locked shared by PID \d+ on /);

    const waiting = runCli(['prune', '--repo', repo, '--retry-lock', '5m']);
    backup.kill('SIGCONT');
    const waited = await waiting;
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(await backupDone, 0, 'the backup was not disturbed');
    assert.equal((await runCli(['check', '--repo', repo, '--read-data'])).code, 0);
    const snapshots = JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as unknown[];
    assert.equal(snapshots.length, 1);
  });

  test('a lock left by a dead process is taken over with a warning; unlock removes stale locks', async (t) => {
    const dir = await scratchDir(t, 'cli-stale');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(dir, 'src'));
    // A source with a file: an empty one is a warning now (a share not mounted?).
    await fs.writeFile(join(dir, 'src', 'note.txt'), 'kept\n');
    await initRepository(repo);
    const opened = await Repository.open(new LocalBackend(repo), PASSWORD);
    const deadLock = {
      exclusive: true,
      host: hostname(),
      pid: 2 ** 22 + 7,
      username: 'ghost',
      created: new Date().toISOString(),
      refreshed: new Date().toISOString(),
    };
    await opened.saveJson('lock', deadLock);

    const backup = await runCli(['backup', '--repo', repo, join(dir, 'src'), '--json']);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stderr, /removed a stale lock \(locked exclusively by PID 4194311/);

    await opened.saveJson('lock', {
      ...deadLock,
      refreshed: new Date(Date.now() - 3600_000).toISOString(),
      host: 'elsewhere',
    });
    await opened.saveJson('lock', { ...deadLock, pid: process.pid, exclusive: false });
    const unlocked = await runCli(['unlock', '--repo', repo]);
    assert.match(unlocked.stdout, /1 lock removed/, 'only the stale one');
    const all = await runCli(['unlock', '--repo', repo, '--remove-all']);
    assert.match(all.stdout, /1 lock removed/);
    assert.deepEqual(jsonLines(backup.stdout).at(-1)!.message_type, 'summary');
  });
});
