import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { LocalBackend, openBackend, testBackend, type Backend } from '../src/index.js';
import { rejectsWithKind, scratchDir } from './helpers.js';

type SftpSupport = typeof import('../../../test/support/sftp-server.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const { startSftp } = (await import(support('sftp-server.mjs'))) as SftpSupport;

let sftp: Awaited<ReturnType<SftpSupport['startSftp']>>;
before(async () => {
  sftp = await startSftp();
});
after(() => sftp?.stop());

const SMALL = { fileSize: 4096, files: 2, connections: 2 };

async function passes(backend: Backend) {
  try {
    const result = await testBackend(backend, SMALL);
    assert.deepEqual(result.problems, []);
  } finally {
    await backend.close();
  }
}

describe('a destination test leaves the location as it found it', () => {
  test('a local folder: no repository folder and none of the parents it made stays', async (t) => {
    const dir = await scratchDir(t, 'tester');
    await passes(new LocalBackend(join(dir, 'new', 'deeper', 'repo')));
    assert.deepEqual(await fs.readdir(dir), []);
  });

  test('a local folder that exists stays, empty; a file in it stays with its folders', async (t) => {
    const dir = await scratchDir(t, 'tester');
    await passes(new LocalBackend(dir));
    assert.deepEqual(await fs.readdir(dir), []);
    await fs.mkdir(join(dir, 'keys'));
    await fs.writeFile(join(dir, 'keys', 'mine'), 'not the test’s');
    await passes(new LocalBackend(dir));
    assert.deepEqual(await fs.readdir(dir), ['keys']);
    assert.deepEqual(await fs.readdir(join(dir, 'keys')), ['mine']);
  });

  test('SFTP: no repository folder and none of the parents it made stays', async () => {
    const url = sftp.url('made/by/the-test');
    await passes(openBackend(url, { env: sftp.env }));
    assert.ok(!existsSync(join(sftp.root, 'made')), 'the parents the test made are gone');
    assert.deepEqual(await fs.readdir(sftp.root), []);
  });

  test('a folder under /proc fails at once, in words, instead of hanging', async () => {
    // Node's recursive mkdir never returns there: a parent answers ENOENT to every new folder.
    const backend = new LocalBackend('/proc/cairn-test/repo');
    const error = await rejectsWithKind(testBackend(backend, SMALL), 'backend');
    assert.match(error.message, /cannot create the folder \/proc\/cairn-test: /);
  });
});
