import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CAIRN, cliEnv, fsTree, initRepository, jsonLines, runCli, scratchDir } from './cli.js';

const execFileAsync = promisify(execFile);

describe('progress output', () => {
  test('on a terminal, backup draws a live progress line on stderr', async (t) => {
    const dir = await scratchDir(t, 'cli-tty');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    for (let i = 0; i < 6; i++)
      await fs.writeFile(join(source, `f${i}`), fsTree.pseudoRandomBytes(24 * 1024 * 1024, `tty-${i}`));
    await initRepository(join(dir, 'repo'));
    // `script` gives the CLI a pseudo-terminal, as a person at a shell would have.
    const command = `${process.execPath} ${CAIRN} backup --repo ${join(dir, 'repo')} ${source}`;
    const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
      env: cliEnv({ TERM: 'xterm' }),
    });
    // eslint-disable-next-line no-control-regex -- the terminal escape that clears the line is the point
    assert.match(stdout, /\r\x1b\[K\[\d+:\d\d\] .*files .*\/s/, 'a redrawn progress line');
    assert.match(stdout, /snapshot [0-9a-f]{8} saved/);
  });

  test('--json status lines are parseable and the last is the summary', async (t) => {
    const dir = await scratchDir(t, 'cli-status');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'f'), fsTree.pseudoRandomBytes(64 * 1024, 'status'));
    await initRepository(join(dir, 'repo'));
    const result = await runCli(['backup', '--repo', join(dir, 'repo'), source, '--json']);
    const lines = jsonLines(result.stdout);
    assert.ok(lines.every((line) => ['status', 'summary', 'warning'].includes(String(line.message_type))));
    assert.equal(lines.at(-1)!.message_type, 'summary');
    assert.equal(result.stderr, '', 'nothing but JSON on the way');
  });
});
