import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backup, LocalBackend, openBackend, Repository } from '../src/index.js';
import { FAST_KDF, PASSWORD, rejectsWithKind, scratchDir } from './helpers.js';

const KiB = 1024;

/** Milliseconds `work` took; the tests bound it from below only, which no machine speed can break. */
async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('bandwidth limits', () => {
  test('2 MiB saved over four parallel uploads at 512 KiB/s take at least 4 s, and arrive whole', async (t) => {
    const dir = await scratchDir(t, 'cairn-throttle-');
    const backend = openBackend(dir, { limits: { uploadKiBps: 512 } });
    await backend.create();
    const files = Array.from({ length: 4 }, () => randomBytes(512 * KiB));
    const took = await elapsedMs(() =>
      Promise.all(files.map((data, i) => backend.save('pack', `${i}`.repeat(64), data))),
    );
    // The four share the rate: each on its own line would be done in about 1 s.
    assert.ok(took >= 3900, `took ${Math.round(took)} ms`);
    for (const [i, data] of files.entries())
      assert.deepEqual(await backend.load('pack', `${i}`.repeat(64)), data);
  });

  test('loads are paced by the download limit, a ranged load by what it read', async (t) => {
    const dir = await scratchDir(t, 'cairn-throttle-');
    const plain = new LocalBackend(dir);
    await plain.create();
    await plain.save('index', 'a'.repeat(64), randomBytes(1024 * KiB));
    const backend = openBackend(dir, { limits: { downloadKiBps: 512 } });
    const took = await elapsedMs(() => backend.load('index', 'a'.repeat(64)));
    assert.ok(took >= 1950, `took ${Math.round(took)} ms`);
    // A ranged load is paced by what it read: 256 KiB at 512 KiB/s, half a second at least.
    const ranged = await elapsedMs(() =>
      backend.load('index', 'a'.repeat(64), { offset: 0, length: 256 * KiB }),
    );
    assert.ok(ranged >= 450, `took ${Math.round(ranged)} ms`);
  });

  // Unpaced, the second save would wait 1024 s for its turn: the test's timeout fails a wait that goes on.
  test(
    'once the signal is aborted nothing waits: the queued save goes through at once',
    { timeout: 60_000 },
    async (t) => {
      const dir = await scratchDir(t, 'cairn-throttle-');
      const abort = new AbortController();
      const backend = openBackend(dir, { limits: { uploadKiBps: 1 }, signal: abort.signal });
      await backend.create();
      const first = backend.save('index', 'a'.repeat(64), randomBytes(1024 * KiB));
      const second = backend.save('index', 'b'.repeat(64), Buffer.from('after the cancel'));
      abort.abort();
      await Promise.all([first, second]);
      assert.equal((await backend.load('index', 'b'.repeat(64))).toString(), 'after the cancel');
    },
  );

  test('without limits the backend is the plain one; with them a folder stays a folder to the guards', async (t) => {
    const dir = await scratchDir(t, 'cairn-throttle-');
    assert.ok(openBackend(dir, { limits: {} }) instanceof LocalBackend);
    const repoPath = join(dir, 'repo');
    const backend = openBackend(repoPath, { limits: { uploadKiBps: 100_000, downloadKiBps: 100_000 } });
    assert.equal(backend.localFolder, repoPath);
    const repo = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
    t.after(() => repo.close());
    await fs.writeFile(join(dir, 'file'), 'content');
    // The repository lies inside the source: refused as it is without a limit.
    await rejectsWithKind(backup(repo, { paths: [dir] }), 'usage');
  });
});
