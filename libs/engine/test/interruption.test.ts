import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { backup, check, type BackupResult } from '../src/index.js';
import {
  ENGINE_ENTRY,
  fsTree,
  initRepo,
  MiB,
  openRepo,
  PASSWORD,
  restoredPath,
  restoreSnapshot,
  scratchDir,
  unpaddedPackBytes,
} from './helpers.js';

const PACK_SIZE = MiB;

async function packBytes(repoPath: string): Promise<{ count: number; bytes: number }> {
  const repo = await openRepo(repoPath);
  const packs = await repo.backend.list('pack');
  return { count: packs.length, bytes: packs.reduce((sum, pack) => sum + pack.size, 0) };
}

/** Three 8 MiB incompressible files: about 22 chunks, so a pack per chunk or two. */
async function writeSource(source: string): Promise<number> {
  await fs.mkdir(source, { recursive: true });
  for (let i = 0; i < 3; i++)
    await fs.writeFile(join(source, `f${i}.bin`), fsTree.pseudoRandomBytes(8 * MiB, `interrupt-${i}`));
  return 24 * MiB;
}

/** The next backup must adopt the leftover packs and store only what they lack. */
async function assertResumes(
  repoPath: string,
  source: string,
  dataSize: number,
  dir: string,
): Promise<BackupResult> {
  const before = await packBytes(repoPath);
  // What the leftover packs hold, without their padding: the blobs the next backup must not store again.
  const leftover = await unpaddedPackBytes(await openRepo(repoPath));
  const result = await backup(await openRepo(repoPath), { paths: [source] });
  const summary = result.snapshot.summary!;
  assert.equal(result.adoptedPacks, before.count);
  assert.ok(
    summary.bytesAdded <= dataSize - leftover + dataSize / 100,
    `${summary.bytesAdded} bytes stored again, but ${leftover} of ${dataSize} were already in packs`,
  );
  const after = await unpaddedPackBytes(await openRepo(repoPath));
  assert.ok(after < dataSize * 1.02, `packs hold ${after} bytes for ${dataSize} bytes of data`);

  const { errors, hints } = await check(await openRepo(repoPath), { readData: true });
  assert.deepEqual(errors, []);
  assert.deepEqual(hints, []);
  const target = join(dir, 'target');
  await restoreSnapshot(await openRepo(repoPath), result.snapshotId, target);
  assert.deepEqual(
    await fsTree.describeTree(restoredPath(target, source)),
    await fsTree.describeTree(source),
  );
  return result;
}

test('packs that no index lists (the index was lost) are adopted, not uploaded again', async (t) => {
  const dir = await scratchDir(t, 'orphans');
  const source = join(dir, 'source');
  const repoPath = join(dir, 'repo');
  const dataSize = await writeSource(source);
  const first = await backup(await initRepo(repoPath, { packSize: PACK_SIZE }), { paths: [source] });
  assert.ok(first.snapshot.summary!.packsWritten > 5);
  // What an interruption between the packs and the index leaves: packs only.
  const repo = await openRepo(repoPath);
  for (const type of ['index', 'snapshot'] as const) {
    for (const file of await repo.backend.list(type)) await repo.backend.remove(type, file.name);
  }

  const { errors, hints } = await check(await openRepo(repoPath));
  assert.deepEqual(errors, []);
  assert.equal(hints.length, first.snapshot.summary!.packsWritten, 'each leftover pack is pointed out');

  const result = await assertResumes(repoPath, source, dataSize, dir);
  assert.equal(result.snapshot.summary!.bytesAdded, 0);
});

/**
 * A child process backs up through a backend that, once `stallAfter` packs are stored, leaves a
 * half-written temp file (a pack torn by the kill) and hangs, so the kill lands in the middle of an upload.
 */
const CHILD = `
import { promises as fs } from 'node:fs';
const { backup, LocalBackend, Repository } = await import(process.env.ENGINE_URL);
const [repoPath, source, password, stallAfter, packSize] = process.argv.slice(2);
class StallingBackend extends LocalBackend {
  packs = 0;
  saves = [];
  async save(type, name, data) {
    if (type === 'pack' && ++this.packs > Number(stallAfter)) {
      await Promise.allSettled(this.saves);
      await fs.writeFile(this.location + '/data/' + name.slice(0, 2) + '/.tmp-torn' + this.packs, data.subarray(0, data.length >> 1));
      process.stdout.write('stalled\\n');
      setInterval(() => {}, 1000);
      return new Promise(() => {});
    }
    const saving = super.save(type, name, data);
    if (type === 'pack') this.saves.push(saving);
    return saving;
  }
}
const repo = await Repository.open(new StallingBackend(repoPath), password, { packSize: Number(packSize) });
await backup(repo, { paths: [source] });
process.stdout.write('finished\\n');
`;

test(
  'a backup killed with SIGKILL leaves a repository that checks clean, and the next backup reuses its packs',
  { timeout: 120_000 },
  async (t) => {
    const dir = await scratchDir(t, 'sigkill');
    const source = join(dir, 'source');
    const repoPath = join(dir, 'repo');
    const dataSize = await writeSource(source);
    await initRepo(repoPath);
    const script = join(dir, 'child.mjs');
    await fs.writeFile(script, CHILD);

    const child = spawn(process.execPath, [script, repoPath, source, PASSWORD, '6', String(PACK_SIZE)], {
      env: { ...process.env, ENGINE_URL: pathToFileURL(ENGINE_ENTRY).href },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let output = '';
    for await (const data of child.stdout) {
      output += String(data);
      if (output.includes('stalled')) break;
    }
    assert.match(output, /stalled/, 'the child must be killed in the middle of its backup');
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const left = await packBytes(repoPath);
    assert.ok(left.count >= 6 && left.bytes >= 5 * MiB, `${left.count} packs, ${left.bytes} bytes left`);
    const repo = await openRepo(repoPath);
    assert.equal((await repo.backend.list('snapshot')).length, 0);
    assert.equal((await repo.backend.list('lock')).length, 1, "the dead backup's lock is still there");

    const { errors } = await check(repo, { readData: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(await repo.backend.list('lock'), [], "the dead process's lock was stale and removed");

    const result = await assertResumes(repoPath, source, dataSize, dir);
    assert.ok(result.adoptedPacks >= 6);
  },
);
