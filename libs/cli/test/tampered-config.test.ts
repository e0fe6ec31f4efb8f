import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { initRepository, runCli, scratchDir } from './cli.js';

test('check --read-data fails on a repository whose config was edited, naming the config', async (t) => {
  const dir = await scratchDir(t, 'cli-tampered');
  const repo = join(dir, 'repo');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fs.writeFile(join(source, 'a.txt'), 'content');
  await initRepository(repo);
  assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);
  const config = JSON.parse(await fs.readFile(join(repo, 'config'), 'utf8')) as { chunker: object };
  config.chunker = { min: 1024, avg: 4096, max: 16384 };
  await fs.writeFile(join(repo, 'config'), JSON.stringify(config));

  const checked = await runCli(['check', '--repo', repo, '--read-data']);
  assert.equal(checked.code, 1, checked.stdout);
  assert.match(checked.stderr, /config of .* was tampered with/);
});
