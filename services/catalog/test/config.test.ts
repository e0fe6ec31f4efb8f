import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ConfigError } from '@cairn/contracts';
import { main } from '../src/main.js';

const HINT = 'openssl rand -hex 32';
const MALFORMED = ['', 'not-hex-at-all', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32)];

describe('CAIRN_SECRET_KEY', () => {
  test('missing or malformed: main() fails before touching anything, saying how to make one', async () => {
    for (const key of [undefined, ...MALFORMED]) {
      const env = {
        DATABASE_URL: 'postgres://127.0.0.1:1/never-used',
        ...(key === undefined ? {} : { CAIRN_SECRET_KEY: key }),
      };
      await assert.rejects(
        main({ env }),
        (error: Error) =>
          error instanceof ConfigError &&
          /CAIRN_SECRET_KEY: .*openssl rand -hex 32/.test(error.message) &&
          (key === undefined || key === '' || !error.message.includes(key)),
        `key ${JSON.stringify(key)}`,
      );
    }
  });

  test('run as a program, it exits 1 with the hint and without echoing the value', async () => {
    const program = fileURLToPath(new URL('../../../../deploy/cairn-server.mjs', import.meta.url));
    const env = { ...process.env, CAIRN_SECRET_KEY: 'short-but-secret-value' };
    const child = spawn(process.execPath, [program, 'catalog'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.ok(stderr.includes(HINT), stderr);
    assert.ok(!stderr.includes('short-but-secret-value'));
    assert.ok(stderr.split('\n').some((line) => line.includes('CAIRN_SECRET_KEY') && line.includes(HINT)));
  });
});
