import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { CAIRN, cliEnv, fsTree, initRepository, jsonLines, runCli, scratchDir } from './cli.js';

describe('looking into snapshots: find, diff, dump', () => {
  test('dump writes a folder as a tar archive that GNU tar extracts byte for byte', async (t) => {
    const dir = await scratchDir(t, 'cli-dump');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    await fsTree.buildSourceTree(source, { largeFiles: false });
    const longName = `${'a-very-long-name-'.repeat(10)}.txt`;
    await fs.writeFile(join(source, longName), 'long');
    await initRepository(join(dir, 'repo'));
    assert.equal((await runCli(['backup', '--repo', join(dir, 'repo'), source])).code, 0);

    const child = spawn(process.execPath, [CAIRN, 'dump', '--repo', join(dir, 'repo'), 'latest', source], {
      env: cliEnv(),
    });
    await pipeline(child.stdout, createWriteStream(join(dir, 'out.tar')));
    const extracted = join(dir, 'extracted');
    await fs.mkdir(extracted);
    execFileSync('tar', ['-xpf', join(dir, 'out.tar'), '-C', extracted]);
    const restored = await fsTree.describeTree(join(extracted, 'source'));
    const original = await fsTree.describeTree(source);
    // tar keeps mtimes to the second unless PAX says more; GNU tar honours PAX mtime.
    assert.deepEqual(restored, original);
  });

  test('dump of a file writes its content', async (t) => {
    const dir = await scratchDir(t, 'cli-dump-file');
    await fs.mkdir(join(dir, 'src'));
    const content = fsTree.pseudoRandomBytes(3 * 1024 * 1024, 'dump-file');
    await fs.writeFile(join(dir, 'src', 'data.bin'), content);
    await initRepository(join(dir, 'repo'));
    await runCli(['backup', '--repo', join(dir, 'repo'), join(dir, 'src')]);
    const child = spawn(
      process.execPath,
      [CAIRN, 'dump', '--repo', join(dir, 'repo'), 'latest', join(dir, 'src', 'data.bin')],
      { env: cliEnv() },
    );
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(content));
  });

  test('find lists matches per snapshot; diff shows added, removed, modified and re-tagged files', async (t) => {
    const dir = await scratchDir(t, 'cli-find-diff');
    const source = join(dir, 'src');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(source, 'docs'), { recursive: true });
    await fs.writeFile(join(source, 'docs', 'report.pdf'), 'v1');
    await fs.writeFile(join(source, 'docs', 'notes.txt'), 'notes');
    await fs.writeFile(join(source, 'docs', 'tagged.txt'), 'same content');
    await initRepository(repo);
    await runCli(['backup', '--repo', repo, source]);
    execFileSync('setfattr', ['-n', 'user.tag', '-v', 'blue', join(source, 'docs', 'tagged.txt')]);
    await fs.writeFile(join(source, 'docs', 'report.pdf'), 'version two');
    await fs.rm(join(source, 'docs', 'notes.txt'));
    await fs.writeFile(join(source, 'docs', 'new.pdf'), 'new');
    await runCli(['backup', '--repo', repo, source]);

    const found = jsonLines((await runCli(['find', '--repo', repo, '*.pdf', '--json'])).stdout);
    assert.deepEqual(found.map((match) => String(match.path).slice(source.length)).sort(), [
      '/docs/new.pdf',
      '/docs/report.pdf',
      '/docs/report.pdf',
    ]);

    const snapshots = JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as {
      id: string;
    }[];
    const diff = jsonLines(
      (await runCli(['diff', '--repo', repo, snapshots[0]!.id, snapshots[1]!.id, '--json'])).stdout,
    );
    const changes = Object.fromEntries(
      diff.filter((line) => line.path).map((line) => [String(line.path).slice(source.length), line.change]),
    );
    assert.equal(changes['/docs/report.pdf'], 'M');
    assert.equal(changes['/docs/notes.txt'], '-');
    assert.equal(changes['/docs/new.pdf'], '+');
    assert.equal(changes['/docs/tagged.txt'], 'U', 'an extended attribute is metadata');
  });
});
