import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cliEnv, runCli, scratchDir } from './cli.js';

// Root reads every file, so an unreadable file needs an ordinary user: `setpriv` runs the CLI as nobody.
const NOBODY = 65534;

describe('cairn backup with files it cannot read', () => {
  test('warns, still saves the snapshot with everything else, and exits 3', async (t) => {
    if (process.getuid?.() !== 0)
      throw new Error('this test switches to the user nobody and must run as root');
    const dir = await scratchDir(t, 'cli-unreadable');
    const source = join(dir, 'source');
    const repo = join(dir, 'repo');
    await fs.mkdir(join(source, 'locked-dir'), { recursive: true });
    await fs.writeFile(join(source, 'readable.txt'), 'fine');
    await fs.writeFile(join(source, 'secret.txt'), 'no access');
    await fs.chmod(join(source, 'secret.txt'), 0o000);
    await fs.chmod(join(source, 'locked-dir'), 0o000);
    await fs.chmod(dir, 0o777);
    await fs.mkdir(repo, { mode: 0o777 });
    await fs.chown(repo, NOBODY, NOBODY);
    const env = cliEnv({ HOME: dir });
    const init = await runCli(['init', '--repo', repo], { asUser: NOBODY, env });
    assert.equal(init.code, 0, init.stderr);
    const result = await runCli(['backup', '--repo', repo, source], { asUser: NOBODY, env });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /secret\.txt: cannot read: EACCES/);
    assert.match(result.stderr, /locked-dir: cannot read directory: EACCES/);
    assert.match(result.stdout, /snapshot [0-9a-f]{8} saved/);

    const target = join(dir, 'out');
    const restored = await runCli(['restore', '--repo', repo, 'latest', '--target', target]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(await fs.readFile(join(target, source, 'readable.txt'), 'utf8'), 'fine');
    await assert.rejects(fs.stat(join(target, source, 'secret.txt')), { code: 'ENOENT' });
  });
});
