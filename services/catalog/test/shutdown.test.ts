import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { CATALOG } from '@cairn/contracts';
import { isolate, startCatalog } from './support/catalog.js';
import { withClient } from './support/database.js';

describe('graceful stop', () => {
  test('a request in hand when the catalog stops is still answered, then everything closes', async () => {
    const catalog = await startCatalog('shutdown');
    try {
      await withClient(catalog.databaseUrl, async (blocker) => {
        // Hold the settings table so the next update waits inside the catalog.
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE settings IN ACCESS EXCLUSIVE MODE');
        const update = catalog.call(CATALOG.settings.update, { theme: 'dark' });
        await sleep(200);
        const closed = catalog.close();
        await sleep(200);
        await blocker.query('COMMIT');
        assert.deepEqual(await update, { theme: 'dark' });
        await closed;
      });
      assert.ok(catalog.logs.messages().includes('catalog stopped'));
      await assert.rejects(catalog.call(CATALOG.settings.get, {}), /no answer/);
    } finally {
      await catalog.stop();
    }
  });

  test('SIGTERM stops the process cleanly with exit code 0', async () => {
    const isolation = await isolate('sigterm');
    try {
      const program = fileURLToPath(new URL('./fixtures/catalog-process.js', import.meta.url));
      const child = spawn(process.execPath, [program], {
        env: { ...process.env, ...isolation.env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');
      while (!output.includes('catalog ready')) {
        assert.equal(child.exitCode, null, output);
        await sleep(50);
      }
      assert.deepEqual(await isolation.call(CATALOG.admin.get, {}), { passwordHash: null });
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
      assert.ok(output.includes('catalog stopped'));
    } finally {
      await isolation.release();
    }
  });
});
