import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { MasterIndex } from '../src/index/master-index.js';
import type { PackedBlob } from '../src/pack/pack.js';

const blob = (id: string, i: number): PackedBlob => ({
  id,
  type: i % 3 === 0 ? 'tree' : 'data',
  offset: i * 1000,
  length: 900 + i,
  rawLength: 2 ** 32 - 1 - i, // lengths are unsigned 32-bit
  compressed: i % 2 === 0,
});
const randomId = () => randomBytes(32).toString('hex');

describe('the in-memory index', () => {
  test('finds every blob of many packs where it lies, across segments and table growths', () => {
    const index = new MasterIndex();
    const packs = Array.from({ length: 12_500 }, (_, p) => ({
      id: randomId(),
      blobs: Array.from({ length: 16 }, (_, i) => blob(randomId(), p * 16 + i)),
    }));
    for (const pack of packs) index.addPack(pack.id, pack.blobs);
    assert.equal(index.blobCount, 200_000);
    for (const pack of packs) {
      for (const { id, ...location } of pack.blobs) {
        assert.deepEqual(index.get(id), { packId: pack.id, ...location });
      }
    }
    const entries = [...index.entries()];
    assert.equal(entries.length, 200_000);
    assert.equal(new Set(entries.map(([id]) => id)).size, 200_000);
    const [id, location] = entries[123_456]!;
    assert.deepEqual(index.get(id), location);
    assert.equal(new Set(index.packIds).size, 12_500);
  });

  test('ids that share their first word (the hash) are told apart', () => {
    const index = new MasterIndex();
    const prefix = 'deadbeef';
    const ids = Array.from({ length: 50 }, () => prefix + randomBytes(28).toString('hex'));
    index.addPack(randomId(), ids.map(blob));
    ids.forEach((id, i) => assert.equal(index.get(id)?.offset, i * 1000));
    assert.equal(index.has(prefix + randomBytes(28).toString('hex')), false);
  });

  test('the first copy of a blob is the one used; a pack added twice counts once', () => {
    const index = new MasterIndex();
    const [shared, other] = [randomId(), randomId()];
    index.addPack('a'.repeat(64), [blob(shared, 1)]);
    index.addPack('b'.repeat(64), [blob(shared, 2), blob(other, 3)]);
    index.addPack('b'.repeat(64), [blob(randomId(), 4)]);
    assert.equal(index.get(shared)?.packId, 'a'.repeat(64));
    assert.equal(index.get(other)?.packId, 'b'.repeat(64));
    assert.equal(index.blobCount, 2);
    assert.equal(index.packBlobCount('b'.repeat(64)), 2);
    assert.equal(index.packBlobCount('c'.repeat(64)), undefined);
    assert.ok(index.hasPack('a'.repeat(64)) && !index.hasPack('c'.repeat(64)));
  });

  test('what is not a blob id is not found, and cannot be added', () => {
    const index = new MasterIndex();
    const id = randomId();
    index.addPack(randomId(), [blob(id, 0)]);
    for (const wrong of ['', id.slice(0, 62), `${id}00`, `${id.slice(0, 63)}z`, randomId()])
      assert.equal(index.has(wrong), false, wrong);
    assert.throws(() => index.addPack(randomId(), [blob('not hex', 0)]), RangeError);
  });
});
