import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { filePath } from '../src/backends/backend.js';
import { seal } from '../src/crypto/aead.js';
import { blobId, fileId } from '../src/crypto/ids.js';
import {
  backup,
  check,
  copySnapshots,
  findEntry,
  findSnapshot,
  prune,
  repairIndex,
  repositoryStats,
  type Repository,
} from '../src/index.js';
import { PackWriter, parsePack, readPackHeader, unpaddedPackSize } from '../src/pack/pack.js';
import { padme } from '../src/pack/padme.js';
import {
  fsTree,
  initRepo,
  MiB,
  openRepo,
  rejectsWithKind,
  restoreSnapshot,
  restoredPath,
  scratchDir,
} from './helpers.js';

const KEY = createSecretKey(randomBytes(32));
/** A pack of ~8 chunks of the 1 MiB average chunk: the tests see several packs per file. */
const PACK_SIZE = 8 * MiB;

/** Blob id → the pack holding it, in the order the blobs were stored. */
/**
 * Each data blob's pack. Tree blobs are left out: they carry the file's atime, which the first
 * backup's own read may change, so two backups of one file need not share them.
 */
function packOf(repo: Repository): Map<string, string> {
  return new Map(
    [...repo.index.entries()]
      .filter(([, location]) => location.type === 'data')
      .map(([id, location]) => [id, location.packId]),
  );
}

async function backedUpFile(t: TestContext, size: number): Promise<{ dir: string; source: string }> {
  const dir = await scratchDir(t, 'fingerprinting');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fs.writeFile(join(source, 'known.bin'), fsTree.pseudoRandomBytes(size, 'known-file'));
  return { dir, source };
}

describe('Padmé', () => {
  test('known lengths: the top bits of the length are kept, the rest is rounded up', () => {
    assert.deepEqual([0, 1, 2, 3, 9, 100, 1000].map(padme), [0, 1, 2, 3, 10, 104, 1024]);
    // 16 MiB + 1: exponent 24, 5 bits kept, so a multiple of 2^19.
    assert.equal(padme(16 * MiB + 1), 16 * MiB + 512 * 1024);
    assert.equal(padme(16 * MiB), 16 * MiB);
  });

  test('a padded length pads to itself, is never shorter, and adds at most 12 %', () => {
    for (let length = 2; length < 2 ** 31; length = Math.ceil(length * 1.37) + 1) {
      const padded = padme(length);
      assert.ok(padded >= length && padded <= length * 1.12, `${length} → ${padded}`);
      assert.equal(padme(padded), padded);
    }
    assert.throws(() => padme(2 ** 32), RangeError);
  });
});

function packWithBlobs(count: number): { bytes: Buffer; blobsEnd: number; headerStart: number } {
  const writer = new PackWriter(Buffer.alloc(0));
  for (let i = 0; i < count; i++) {
    const plaintext = fsTree.pseudoRandomBytes(10_000 + 777 * i, `pad-${i}`);
    writer.add(blobId(KEY, plaintext), 'data', seal(KEY, plaintext), plaintext.length, false);
  }
  const pack = writer.finish(KEY);
  const blobsEnd = pack.blobs.reduce((end, blob) => Math.max(end, blob.offset + blob.length), 0);
  const headerStart = pack.bytes.length - 4 - pack.bytes.readUInt32LE(pack.bytes.length - 4);
  return { bytes: Buffer.from(pack.bytes), blobsEnd, headerStart };
}

describe('padded packs', () => {
  test('a pack is padded to a Padmé length with random bytes between its blobs and its header', () => {
    const { bytes, blobsEnd, headerStart } = packWithBlobs(5);
    assert.equal(padme(bytes.length), bytes.length);
    assert.ok(headerStart - blobsEnd > 0, 'these lengths need padding');
    const padding = bytes.subarray(blobsEnd, headerStart);
    assert.ok(new Set(padding).size > 200, 'the padding is random, not zeros a provider could spot');
    assert.equal(parsePack(bytes, KEY, 'test').length, 5);
  });

  test('a pack written before padding (blobs, header, length) is still read', async (t) => {
    const { bytes, blobsEnd, headerStart } = packWithBlobs(3);
    const unpadded = Buffer.concat([bytes.subarray(0, blobsEnd), bytes.subarray(headerStart)]);
    assert.deepEqual(parsePack(unpadded, KEY, 'test'), parsePack(bytes, KEY, 'test'));
    const repo = await initRepo(await scratchDir(t, 'old-pack'));
    await repo.backend.save('pack', fileId(unpadded), unpadded);
    assert.equal((await readPackHeader(repo.backend, KEY, fileId(unpadded), unpadded.length)).length, 3);
  });

  test('padding cut short or lengthened is named, from the whole pack and from its end alone', async (t) => {
    const { bytes, blobsEnd, headerStart } = packWithBlobs(4);
    const cut = Buffer.concat([bytes.subarray(0, blobsEnd + 1), bytes.subarray(headerStart)]);
    const lengthened = Buffer.concat([
      bytes.subarray(0, headerStart),
      randomBytes(1),
      bytes.subarray(headerStart),
    ]);
    const repo = await initRepo(await scratchDir(t, 'cut-pack'));
    for (const [name, damaged] of Object.entries({ cut, lengthened })) {
      const error = await rejectsWithKind(() => parsePack(damaged, KEY, name), 'corrupt');
      assert.match(error.message, /bytes of padding where its header calls for \d+ \(the pack was cut short/);
      await repo.backend.save('pack', fileId(damaged), damaged);
      await rejectsWithKind(readPackHeader(repo.backend, KEY, fileId(damaged), damaged.length), 'corrupt');
    }
  });
});

describe('pack composition', () => {
  test('every pack a backup writes has a Padmé length; restore and check --read-data pass', async (t) => {
    const { dir, source } = await backedUpFile(t, 40 * MiB);
    await fs.mkdir(join(source, 'tree'));
    await fsTree.buildSourceTree(join(source, 'tree'), { largeFiles: false });
    const repo = await initRepo(join(dir, 'repo'), { packSize: PACK_SIZE });
    const { snapshotId } = await backup(repo, { paths: [source] });
    const packs = await repo.backend.list('pack');
    assert.ok(packs.length >= 4, `${packs.length} packs`);
    for (const pack of packs) assert.equal(padme(pack.size), pack.size, `pack of ${pack.size} bytes`);

    const target = join(dir, 'target');
    await restoreSnapshot(await openRepo(join(dir, 'repo')), snapshotId, target);
    assert.deepEqual(
      await fsTree.describeTree(restoredPath(target, source)),
      await fsTree.describeTree(source),
    );
    const result = await check(await openRepo(join(dir, 'repo')), { readData: true });
    assert.deepEqual(result.errors, []);
    assert.equal(result.packsRead, packs.length);
  });

  test('two packs are filled at once: a pack holds chunks that are not neighbours in the file', async (t) => {
    const { dir, source } = await backedUpFile(t, 48 * MiB);
    const repo = await initRepo(join(dir, 'repo'), { packSize: PACK_SIZE });
    const { snapshotId } = await backup(repo, { paths: [source] });
    const snapshot = await findSnapshot(repo, snapshotId);
    const chunks = (await findEntry(repo, snapshot.tree, join(source, 'known.bin'))).node.content!;
    assert.ok(chunks.length >= 30, `${chunks.length} chunks`);
    const pack = packOf(repo);
    const runs = chunks.filter((id, i) => i > 0 && pack.get(id) !== pack.get(chunks[i - 1]!)).length + 1;
    const packs = new Set(chunks.map((id) => pack.get(id))).size;
    // One pack at a time gives each pack one run of consecutive chunks; random assignment to two
    // open packs splits them (all runs of one pack by chance: about 2^-30 for these 48 chunks).
    assert.ok(runs > packs, `${runs} runs of consecutive chunks in ${packs} packs`);
  });

  test('the same file in two repositories with the same ids lands in other pack compositions', async (t) => {
    const { dir, source } = await backedUpFile(t, 48 * MiB);
    const first = await initRepo(join(dir, 'first'), { packSize: PACK_SIZE });
    const second = await initRepo(join(dir, 'second'), { packSize: PACK_SIZE, copyParamsFrom: first });
    await backup(first, { paths: [source] });
    await backup(second, { paths: [source] });
    // Which blobs share a pack, as sorted lists: the order of packs and of blobs in them aside.
    const compositions = (repo: Repository) => {
      const groups = new Map<string, string[]>();
      for (const [id, packId] of packOf(repo)) groups.set(packId, [...(groups.get(packId) ?? []), id]);
      return [...groups.values()].map((ids) => ids.sort().join(',')).sort();
    };
    assert.deepEqual(
      new Set(packOf(first).keys()),
      new Set(packOf(second).keys()),
      'both hold the same blobs',
    );
    assert.notDeepEqual(compositions(first), compositions(second), 'the packs group them alike');
  });

  test('a small backup leaves one data pack, not one per open pack', async (t) => {
    const { dir, source } = await backedUpFile(t, 3 * MiB);
    const repo = await initRepo(join(dir, 'repo'), { packSize: PACK_SIZE });
    await backup(repo, { paths: [source] });
    const dataPacks = new Set(
      [...repo.index.entries()].filter(([, l]) => l.type === 'data').map(([, l]) => l.packId),
    );
    assert.equal(dataPacks.size, 1);
  });

  test('copy and prune write padded packs too, and check --read-data passes after them', async (t) => {
    const { dir, source } = await backedUpFile(t, 20 * MiB);
    const from = await initRepo(join(dir, 'from'), { packSize: PACK_SIZE });
    await fs.writeFile(join(source, 'dropped.bin'), fsTree.pseudoRandomBytes(20 * MiB, 'dropped'));
    const first = await backup(from, { paths: [source] });
    await fs.rm(join(source, 'dropped.bin'));
    await backup(from, { paths: [source] });
    const into = await initRepo(join(dir, 'into'), { packSize: PACK_SIZE, copyParamsFrom: from });
    await copySnapshots(from, into, undefined);

    await from.backend.remove('snapshot', first.snapshotId);
    const pruned = await prune(await openRepo(join(dir, 'from')), { maxUnused: 0 });
    assert.ok(pruned.packsRepacked > 0, 'the packs mixing kept and dropped chunks are repacked');
    for (const repoPath of [join(dir, 'from'), join(dir, 'into')]) {
      const repo = await openRepo(repoPath);
      for (const pack of await repo.backend.list('pack')) assert.equal(padme(pack.size), pack.size);
      assert.deepEqual((await check(repo, { readData: true })).errors, [], repoPath);
      const target = join(repoPath, '..', `restored-${repoPath.split('/').pop()}`);
      await restoreSnapshot(await openRepo(repoPath), 'latest', target);
      assert.deepEqual(
        await fsTree.describeTree(restoredPath(target, source)),
        await fsTree.describeTree(source),
      );
    }
  });
});

describe('padding cost', () => {
  test('small blobs fill a pack to just below a Padmé length, not just past the target', async (t) => {
    const repo = await initRepo(await scratchDir(t, 'padding-cost'), { packSize: MiB, compression: 'off' });
    // 2 KiB blobs: each step is smaller than the 0.4 % window below a Padmé length, so every pack
    // but the last closes in such a window (closing at 1 MiB instead would pad by up to 3 %).
    for (let i = 0; i < 2000; i++) await repo.saveBlob('data', randomBytes(2048));
    await repo.flush();
    const contents = new Map<string, { count: number; length: number }>();
    for (const [, location] of repo.index.entries()) {
      const content = contents.get(location.packId) ?? { count: 0, length: 0 };
      contents.set(location.packId, { count: content.count + 1, length: content.length + location.length });
    }
    const packs = await repo.backend.list('pack');
    assert.ok(packs.length >= 3, `${packs.length} packs`);
    const paddings = packs
      .map((pack) => {
        const content = contents.get(pack.name)!;
        return (pack.size - unpaddedPackSize(content.count, content.length)) / pack.size;
      })
      .sort((a, b) => a - b);
    // The last pack (the two open ones merged) may be padded by anything Padmé adds.
    for (const share of paddings.slice(0, -1)) assert.ok(share <= 1 / 256, `padding of ${share}`);
    assert.ok((await repositoryStats(repo)).paddingBytes > 0);
  });
});

describe('a damaged padded pack', () => {
  async function repositoryWithOnePack(t: TestContext) {
    const { dir, source } = await backedUpFile(t, 2 * MiB);
    const repoPath = join(dir, 'repo');
    const repo = await initRepo(repoPath, { packSize: PACK_SIZE });
    await backup(repo, { paths: [source] });
    const dataPack = [...repo.index.entries()].find(([, l]) => l.type === 'data')![1].packId;
    const path = join(repoPath, filePath('pack', dataPack));
    const bytes = await fs.readFile(path);
    const headerStart = bytes.length - 4 - bytes.readUInt32LE(bytes.length - 4);
    const blobsEnd = Math.max(
      ...[...repo.index.entries()]
        .filter(([, l]) => l.packId === dataPack)
        .map(([, l]) => l.offset + l.length),
    );
    assert.ok(headerStart > blobsEnd, 'this pack is padded');
    return { repoPath, dataPack, path, bytes, headerStart, blobsEnd };
  }

  test('a flipped padding byte fails check --read-data, naming the pack', async (t) => {
    const { repoPath, dataPack, path, bytes, blobsEnd } = await repositoryWithOnePack(t);
    bytes[blobsEnd]! ^= 0xff;
    await fs.writeFile(path, bytes);
    const { errors } = await check(await openRepo(repoPath), { readData: true });
    assert.ok(
      errors.some((e) => e.file === filePath('pack', dataPack) && /SHA-256 mismatch/.test(e.message)),
      JSON.stringify(errors),
    );
  });

  test('padding cut short fails check --read-data, and repair index names the pack', async (t) => {
    const { repoPath, dataPack, path, bytes, headerStart, blobsEnd } = await repositoryWithOnePack(t);
    await fs.writeFile(path, Buffer.concat([bytes.subarray(0, blobsEnd + 1), bytes.subarray(headerStart)]));
    const { errors } = await check(await openRepo(repoPath), { readData: true });
    assert.ok(
      errors.some((e) => e.file === filePath('pack', dataPack)),
      JSON.stringify(errors),
    );
    const { damaged } = await repairIndex(await openRepo(repoPath));
    assert.deepEqual(
      damaged.map((d) => d.pack),
      [dataPack],
    );
    assert.match(damaged[0]!.message, /padding/);
  });
});
