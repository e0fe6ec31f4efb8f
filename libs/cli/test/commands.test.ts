import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cliEnv, fsTree, initRepository, jsonLines, PASSWORD, runCli, scratchDir } from './cli.js';

describe('cairn, the shell user path', () => {
  test('init, backup, snapshots, ls, restore and check work together and the restore is identical', async (t) => {
    const dir = await scratchDir(t, 'cli-roundtrip');
    const source = join(dir, 'source');
    const repo = join(dir, 'repo');
    await fs.mkdir(source);
    await fsTree.buildSourceTree(source, { largeFiles: false });
    await initRepository(repo);

    const backup = await runCli(['backup', '--repo', repo, source, '--tag', 'nightly', '--host', 'nas']);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /snapshot [0-9a-f]{8} saved/);

    const listed = await runCli(['snapshots', '--repo', repo, '--json']);
    const [snapshot] = JSON.parse(listed.stdout) as {
      id: string;
      host: string;
      tags: string[];
      paths: string[];
    }[];
    assert.equal(snapshot!.host, 'nas');
    assert.deepEqual(snapshot!.tags, ['nightly']);
    assert.deepEqual(snapshot!.paths, [source]);

    const ls = await runCli(['ls', '--repo', repo, snapshot!.id.slice(0, 8), source]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.ok(ls.stdout.split('\n').includes(`${source}/dir/nested/deeper/leaf.txt`), ls.stdout);

    const target = join(dir, 'restored');
    const restored = await runCli(['restore', '--repo', repo, 'latest', '--target', target]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));

    const check = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /no errors were found/);
  });

  test('--include restores only the given path', async (t) => {
    const dir = await scratchDir(t, 'cli-include');
    const source = join(dir, 'source');
    await fs.mkdir(join(source, 'keep'), { recursive: true });
    await fs.mkdir(join(source, 'skip'), { recursive: true });
    await fs.writeFile(join(source, 'keep', 'a.txt'), 'wanted');
    await fs.writeFile(join(source, 'skip', 'b.txt'), 'not wanted');
    await initRepository(join(dir, 'repo'));
    await runCli(['backup', '--repo', join(dir, 'repo'), source]);

    const target = join(dir, 'out');
    const result = await runCli([
      'restore',
      '--repo',
      join(dir, 'repo'),
      'latest',
      '--target',
      target,
      '--include',
      join(source, 'keep'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await fs.readFile(join(target, source, 'keep', 'a.txt'), 'utf8'), 'wanted');
    await assert.rejects(fs.stat(join(target, source, 'skip')), { code: 'ENOENT' });
  });

  test('--exclude, --exclude-file and --dry-run', async (t) => {
    const dir = await scratchDir(t, 'cli-exclude');
    const source = join(dir, 'source');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(source, 'cache'), { recursive: true });
    await fs.writeFile(join(source, 'cache', 'big.bin'), 'x');
    await fs.writeFile(join(source, 'notes.txt'), 'keep');
    await fs.writeFile(join(source, 'scratch.tmp'), 'drop');
    await fs.writeFile(join(dir, 'excludes'), '# temp files\n*.tmp\n');
    await initRepository(repo);

    const dry = await runCli(['backup', '--repo', repo, source, '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(jsonLines(dry.stdout).at(-1)!.dry_run, true);
    assert.deepEqual((await fs.readdir(join(repo, 'snapshots'))).length, 0, 'a dry run writes no snapshot');

    const result = await runCli([
      'backup',
      '--repo',
      repo,
      source,
      '--exclude',
      join(source, 'cache'),
      '--exclude-file',
      join(dir, 'excludes'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const ls = (await runCli(['ls', '--repo', repo, 'latest', source])).stdout;
    assert.match(ls, /notes\.txt/);
    assert.doesNotMatch(ls, /scratch\.tmp|cache/);
  });

  test('--json prints a summary with the snapshot id and file counts', async (t) => {
    const dir = await scratchDir(t, 'cli-json');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'one'), '1');
    await fs.writeFile(join(source, 'two'), '2');
    await initRepository(join(dir, 'repo'));
    const result = await runCli(['backup', '--repo', join(dir, 'repo'), source, '--json']);
    const summary = jsonLines(result.stdout).find((line) => line.message_type === 'summary')!;
    assert.match(String(summary.snapshot_id), /^[0-9a-f]{64}$/);
    assert.equal(summary.filesNew, 2);
  });

  test('key add, list, remove and passwd', async (t) => {
    const dir = await scratchDir(t, 'cli-keys');
    const repo = join(dir, 'repo');
    await initRepository(repo);
    const added = await runCli(['key', 'add', '--repo', repo], {
      env: cliEnv({ CAIRN_NEW_PASSWORD: 'second' }),
    });
    assert.equal(added.code, 0, added.stderr);
    const newKey = /added key ([0-9a-f]{8})/.exec(added.stdout)![1]!;
    const keys = JSON.parse((await runCli(['key', 'list', '--repo', repo, '--json'])).stdout) as {
      current: boolean;
    }[];
    assert.equal(keys.length, 2);
    assert.equal(
      (await runCli(['snapshots', '--repo', repo], { env: cliEnv({ CAIRN_PASSWORD: 'second' }) })).code,
      0,
    );

    const removed = await runCli(['key', 'remove', '--repo', repo, newKey]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(
      (await runCli(['snapshots', '--repo', repo], { env: cliEnv({ CAIRN_PASSWORD: 'second' }) })).code,
      12,
    );

    const changed = await runCli(['key', 'passwd', '--repo', repo], {
      env: cliEnv({ CAIRN_NEW_PASSWORD: 'third' }),
    });
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(
      (await runCli(['snapshots', '--repo', repo])).code,
      12,
      'the old password no longer opens it',
    );
    assert.equal(
      (await runCli(['snapshots', '--repo', repo], { env: cliEnv({ CAIRN_PASSWORD: 'third' }) })).code,
      0,
    );
  });

  test('the password can come from CAIRN_PASSWORD_FILE and --repo from CAIRN_REPOSITORY', async (t) => {
    const dir = await scratchDir(t, 'cli-env');
    await fs.writeFile(join(dir, 'password'), `${PASSWORD}\n`);
    await initRepository(join(dir, 'repo'));
    const result = await runCli(['snapshots'], {
      env: cliEnv({
        CAIRN_PASSWORD: '',
        CAIRN_PASSWORD_FILE: join(dir, 'password'),
        CAIRN_REPOSITORY: join(dir, 'repo'),
      }),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no snapshots yet/);
  });

  test('every command documents itself with --help', async () => {
    for (const command of [
      [],
      ['init'],
      ['backup'],
      ['snapshots'],
      ['ls'],
      ['restore'],
      ['check'],
      ['stats'],
      ['key'],
      ['key', 'add'],
    ]) {
      const result = await runCli([...command, '--help']);
      assert.equal(result.code, 0, `${command.join(' ')} --help: ${result.stderr}`);
      assert.match(result.stdout, /Usage: cairn/);
    }
  });
});
