import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup } from '../src/index.js';
import { initRepo, openRepo, rejectsWithKind, scratchDir } from './helpers.js';

async function editConfig(repo: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const path = join(repo, 'config');
  const config = JSON.parse(await fs.readFile(path, 'utf8')) as Record<string, unknown>;
  edit(config);
  await fs.writeFile(path, JSON.stringify(config, null, 2) + '\n');
}

describe('the repository config is bound to the master keys', () => {
  test('a repository opens with its own config, whatever its formatting', async (t) => {
    const dir = await scratchDir(t, 'config-auth');
    await (await initRepo(dir)).close();
    await editConfig(dir, () => undefined); // same fields, other bytes
    await (await openRepo(dir)).close();
  });

  test('edited chunker parameters make the open fail, naming the config as tampered', async (t) => {
    const dir = await scratchDir(t, 'config-auth');
    const source = await scratchDir(t, 'config-source');
    await fs.writeFile(join(source, 'a.txt'), 'some content');
    const repo = await initRepo(dir);
    await backup(repo, { paths: [source] });
    await repo.close();
    await editConfig(dir, (config) => {
      config.chunker = { min: 256 * 1024, avg: 512 * 1024, max: 4 * 1024 * 1024 };
    });
    const error = await rejectsWithKind(openRepo(dir), 'corrupt');
    assert.match(error.message, /config of .* was tampered with/);
  });

  test('a config without its authentication code is refused', async (t) => {
    const dir = await scratchDir(t, 'config-auth');
    await (await initRepo(dir)).close();
    await editConfig(dir, (config) => delete config.mac);
    const error = await rejectsWithKind(openRepo(dir), 'corrupt');
    assert.match(error.message, /carries no authentication code/);
  });
});
