import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { LocalBackend } from '../src/index.js';
import { compress, decompress } from '../src/compression.js';
import { open, seal, SEAL_OVERHEAD } from '../src/crypto/aead.js';
import { blobId, fileId } from '../src/crypto/ids.js';
import { generateMasterKeys, parseKeyFile, unwrapMasterKeys, wrapMasterKeys } from '../src/crypto/keys.js';
import { decodeIndex, encodeIndex, type IndexContent } from '../src/index/index-file.js';
import { PackWriter, parsePack, readPackHeader, type PackedBlob } from '../src/pack/pack.js';
import { decodeTree, encodeTree, nameFields, nodeNameBytes, type TreeNode } from '../src/tree/tree.js';
import { FAST_KDF, fsTree, rejectsWithKind, scratchDir } from './helpers.js';

const KEY = createSecretKey(randomBytes(32));

function assertCorrupt(action: () => unknown): void {
  assert.throws(action, (error: Error & { kind?: string }) => error.kind === 'corrupt');
}

describe('authenticated encryption', () => {
  test('seal then open returns the plaintext, for empty and large inputs', () => {
    for (const plaintext of [
      Buffer.alloc(0),
      Buffer.from('x'),
      fsTree.pseudoRandomBytes(3 * 1024 * 1024 + 5, 'seal'),
    ]) {
      const sealed = seal(KEY, plaintext);
      assert.equal(sealed.length, plaintext.length + SEAL_OVERHEAD);
      assert.ok(open(KEY, sealed, 'test').equals(plaintext));
    }
  });

  test('two seals of the same plaintext differ (random nonce) and hide it', () => {
    const plaintext = Buffer.from('the same secret text, twice');
    const a = seal(KEY, plaintext);
    const b = seal(KEY, plaintext);
    assert.notDeepEqual(a, b);
    assert.equal(a.indexOf(plaintext), -1);
  });

  test('any flipped byte, a truncation or another key is detected', () => {
    const sealed = seal(KEY, Buffer.from('attack at dawn, bring snacks'));
    for (let i = 0; i < sealed.length; i++) {
      const damaged = Buffer.from(sealed);
      damaged[i]! ^= 0x01;
      assertCorrupt(() => open(KEY, damaged, 'test'));
    }
    assertCorrupt(() => open(KEY, sealed.subarray(0, sealed.length - 1), 'test'));
    assertCorrupt(() => open(KEY, sealed.subarray(0, SEAL_OVERHEAD - 1), 'test'));
    assertCorrupt(() => open(randomBytes(32), sealed, 'test'));
  });

  test('blob ids are keyed: another repository key gives other ids', () => {
    const data = Buffer.from('same content');
    assert.equal(blobId(KEY, data), blobId(KEY.export(), data));
    assert.notEqual(blobId(KEY, data), blobId(randomBytes(32), data));
    assert.notEqual(blobId(KEY, data), fileId(data));
    assert.match(fileId(data), /^[0-9a-f]{64}$/);
  });
});

describe('compression', () => {
  test('text shrinks and comes back; incompressible data and "off" stay raw', async () => {
    const text = Buffer.from('2026-01-01 INFO request served in 12 ms\n'.repeat(5000));
    for (const mode of ['fast', 'default', 'max'] as const) {
      const packed = await compress(text, mode);
      assert.ok(packed && packed.length < text.length / 10, mode);
      assert.ok((await decompress(packed, text.length, 'test')).equals(text));
    }
    assert.equal(await compress(text, 'off'), undefined);
    assert.equal(await compress(fsTree.pseudoRandomBytes(100_000, 'zstd'), 'default'), undefined);
  });

  test('a wrong raw length or garbage is a corrupt error', async () => {
    const text = Buffer.from('abc'.repeat(1000));
    const packed = (await compress(text, 'default'))!;
    await rejectsWithKind(() => decompress(packed, text.length - 1, 'test'), 'corrupt');
    await rejectsWithKind(() => decompress(packed, text.length + 1, 'test'), 'corrupt');
    await rejectsWithKind(() => decompress(randomBytes(100), 100, 'test'), 'corrupt');
  });
});

function blobsFor(
  count: number,
  sizeOf: (i: number) => number,
): { id: string; sealed: Buffer; raw: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const plaintext = fsTree.pseudoRandomBytes(sizeOf(i), `blob-${i}`);
    return { id: blobId(KEY, plaintext), sealed: seal(KEY, plaintext), raw: plaintext.length };
  });
}

function writePack(blobs: ReturnType<typeof blobsFor>): ReturnType<PackWriter['finish']> {
  const writer = new PackWriter(Buffer.alloc(0));
  blobs.forEach((blob, i) =>
    writer.add(blob.id, i % 3 === 0 ? 'tree' : 'data', blob.sealed, blob.raw, i % 2 === 0),
  );
  return writer.finish(KEY);
}

describe('packs', () => {
  test('a pack is named by its SHA-256 and its header lists every blob where it lies', () => {
    const blobs = blobsFor(7, (i) => 1000 * (i + 1));
    const pack = writePack(blobs);
    assert.equal(pack.id, fileId(pack.bytes));
    assert.deepEqual(parsePack(pack.bytes, KEY, 'test'), pack.blobs);
    pack.blobs.forEach((blob, i) => {
      assert.ok(pack.bytes.subarray(blob.offset, blob.offset + blob.length).equals(blobs[i]!.sealed));
      assert.deepEqual([blob.type, blob.compressed], [i % 3 === 0 ? 'tree' : 'data', i % 2 === 0]);
    });
  });

  test('the header is read from the end of a stored pack, also when it is larger than the first read', async (t) => {
    const backend = new LocalBackend(await scratchDir(t, 'pack'));
    await backend.create();
    // 2000 entries of 41 bytes make a header above the 64 KiB first guess.
    for (const count of [3, 2000]) {
      const pack = writePack(blobsFor(count, () => 16));
      await backend.save('pack', pack.id, pack.bytes);
      assert.deepEqual(await readPackHeader(backend, KEY, pack.id, pack.bytes.length), pack.blobs);
    }
  });

  test('a pack header sealed with another key or cut short is refused', () => {
    const pack = writePack(blobsFor(2, () => 100));
    assertCorrupt(() => parsePack(pack.bytes, createSecretKey(randomBytes(32)), 'test'));
    assertCorrupt(() => parsePack(pack.bytes.subarray(0, pack.bytes.length - 10), KEY, 'test'));
    assertCorrupt(() => parsePack(pack.bytes.subarray(0, 10), KEY, 'test'));
  });
});

describe('index files', () => {
  const blob = (i: number, type: PackedBlob['type'], compressed: boolean): PackedBlob => ({
    id: blobId(KEY, Buffer.from([i])),
    type,
    offset: i * 1000,
    length: 900 + i,
    rawLength: 2 ** 31 + i, // beyond int32: lengths are unsigned
    compressed,
  });
  const content: IndexContent = {
    supersedes: [fileId(Buffer.from('old-1')), fileId(Buffer.from('old-2'))],
    packs: [
      { id: fileId(Buffer.from('pack-1')), blobs: [blob(0, 'data', true), blob(1, 'tree', false)] },
      { id: fileId(Buffer.from('pack-2')), blobs: [blob(2, 'tree', true), blob(3, 'data', false)] },
      { id: fileId(Buffer.from('pack-3')), blobs: [] },
    ],
  };

  test('encode then decode is the identity', () => {
    assert.deepEqual(decodeIndex(encodeIndex(content), 'test'), content);
    assert.deepEqual(decodeIndex(encodeIndex({ supersedes: [], packs: [] }), 'test'), {
      supersedes: [],
      packs: [],
    });
  });

  test('a truncated, extended or foreign index is refused', () => {
    const bytes = encodeIndex(content);
    for (const cut of [1, 10, 41, bytes.length - 8])
      assertCorrupt(() => decodeIndex(bytes.subarray(0, bytes.length - cut), 'test'));
    assertCorrupt(() => decodeIndex(Buffer.concat([bytes, Buffer.from([0])]), 'test'));
    assertCorrupt(() => decodeIndex(Buffer.from('{"packs": []}'), 'test'));
  });
});

describe('trees', () => {
  const node = (name: Buffer): TreeNode => ({
    ...nameFields(name),
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: '1700000000123456789',
    ctime: '1700000000123456789',
    inode: '42',
    device: '2049',
    links: 1,
    size: 0,
    content: [],
  });

  test('names round-trip as bytes, including names that are not UTF-8', () => {
    const names = [
      Buffer.from('plain'),
      Buffer.from('ünïcødé 🎉'),
      Buffer.from('new\nline'),
      fsTree.NON_UTF8_NAME,
      Buffer.from([0xc3]),
    ];
    const tree = decodeTree(encodeTree({ nodes: names.map(node) }), 'test');
    assert.deepEqual(
      tree.nodes.map((n) => nodeNameBytes(n)),
      names,
    );
    assert.equal(tree.nodes[0]!.nameRaw, undefined, 'a UTF-8 name needs no raw bytes');
    assert.ok(tree.nodes[3]!.nameRaw !== undefined);
  });

  test('encoding is deterministic, so identical folders dedupe', () => {
    const nodes = [node(Buffer.from('a')), node(Buffer.from('b'))];
    assert.ok(encodeTree({ nodes }).equals(encodeTree({ nodes: structuredClone(nodes) })));
  });

  test('not JSON, or no node list, is a corrupt tree', () => {
    assertCorrupt(() => decodeTree(Buffer.from('{"nodes": {}}'), 'test'));
    assertCorrupt(() => decodeTree(Buffer.from('not json'), 'test'));
  });
});

describe('master keys', () => {
  test('a password unwraps the keys; another password does not; another repository is refused', async () => {
    const keys = generateMasterKeys();
    const file = await wrapMasterKeys(keys, 'repo-a', 'pässword', FAST_KDF);
    assert.equal(JSON.stringify(file).includes(keys.encryption.toString('base64')), false);
    assert.deepEqual(await unwrapMasterKeys(file, 'repo-a', 'pässword'), keys);
    assert.equal(await unwrapMasterKeys(file, 'repo-a', 'password'), undefined);
    await rejectsWithKind(unwrapMasterKeys(file, 'repo-b', 'pässword'), 'corrupt');
  });

  test('a key file that asks scrypt for more than 1 GiB or 16 lanes, or for nonsense, is refused before any password is tried', async () => {
    const file = await wrapMasterKeys(generateMasterKeys(), 'repo', 'password', FAST_KDF);
    const crafted = (kdf: object) => Buffer.from(JSON.stringify({ ...file, kdf: { ...file.kdf, ...kdf } }));
    assert.equal(
      parseKeyFile(crafted({ N: 2 ** 20, r: 8, p: 1 }), 'k').kdf.N,
      2 ** 20,
      'the bound itself opens',
    );
    for (const kdf of [
      { N: 2 ** 30 },
      { N: 2 ** 20, r: 16 },
      { p: 1000 },
      { N: 1000 },
      { r: 0 },
      { p: '1' },
    ]) {
      assert.throws(
        () => parseKeyFile(crafted(kdf), 'k'),
        (error: Error & { kind?: string }) =>
          error.kind === 'corrupt' && /keys\/k asks for scrypt N=.*not tried/.test(error.message),
        JSON.stringify(kdf),
      );
    }
  });

  test('a password typed in another Unicode normal form opens the same key', async () => {
    const keys = generateMasterKeys();
    const file = await wrapMasterKeys(keys, 'repo', 'caf\u00e9', FAST_KDF);
    assert.deepEqual(await unwrapMasterKeys(file, 'repo', 'cafe\u0301'), keys);
  });
});
