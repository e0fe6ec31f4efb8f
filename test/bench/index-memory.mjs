// The in-memory index alone: bytes per blob at BENCH_INDEX_BLOBS (default 10 million) blobs in packs of
// 16, measured as the heap and off-heap growth after a full GC. Run by bench.mjs in a process of its
// own (`node --expose-gc`); prints one JSON line. Ids are random, as HMAC ids are.
import assert from 'node:assert/strict';
import { randomBytes, randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { MasterIndex } from '../../libs/engine/dist/src/index/master-index.js';

const BLOBS = Number(process.env.BENCH_INDEX_BLOBS ?? 10_000_000);
const BLOBS_PER_PACK = 16;
const CHUNK = 1024 * 1024;

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const used = () => {
  globalThis.gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
};

const before = used();
const started = process.hrtime.bigint();
const index = new MasterIndex();
const ids = Buffer.alloc((BLOBS_PER_PACK + 1) * 32);
let sample;
for (let added = 0; added < BLOBS; added += BLOBS_PER_PACK) {
  randomFillSync(ids);
  const count = Math.min(BLOBS_PER_PACK, BLOBS - added);
  const blobs = Array.from({ length: count }, (_, i) => ({
    id: ids.toString('hex', (i + 1) * 32, (i + 2) * 32),
    type: i === 0 ? 'tree' : 'data',
    offset: i * CHUNK,
    length: CHUNK - i,
    rawLength: CHUNK + i,
    compressed: i % 2 === 0,
  }));
  const packId = ids.toString('hex', 0, 32);
  index.addPack(packId, blobs);
  sample ??= { packId, blob: blobs[3] };
}
const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const after = used();

// The index must work, or the figure means nothing.
const { id, ...location } = sample.blob;
assert.equal(index.blobCount, BLOBS);
assert.deepEqual(index.get(id), { packId: sample.packId, ...location }, `the index lost blob ${id}`);

const missing = randomBytes(32).toString('hex');
const lookups = 1_000_000;
const lookupStarted = process.hrtime.bigint();
for (let i = 0; i < lookups; i++) index.has(i % 2 ? id : missing);
const lookupSeconds = Number(process.hrtime.bigint() - lookupStarted) / 1e9;

process.stdout.write(
  `${JSON.stringify({
    blobs: BLOBS,
    blobsPerPack: BLOBS_PER_PACK,
    bytes: after - before,
    bytesPerBlob: (after - before) / BLOBS,
    buildSeconds,
    lookupsPerSecond: lookups / lookupSeconds,
  })}\n`,
);
