import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  Chunker,
  DEFAULT_CHUNKER,
  gearTable,
  validateChunkerParams,
  type ChunkerParams,
} from '../src/chunker/chunker.js';
import { fsTree, MiB } from './helpers.js';

const KEY = Buffer.alloc(32, 7);
const GEAR = gearTable(KEY);
/** Small parameters give hundreds of chunks from a few MiB, so statistics mean something. */
const SMALL: ChunkerParams = validateChunkerParams({ min: 4096, avg: 16384, max: 65536 });

/** Feeds `pieces` to a fresh chunker and returns its chunks, the last one included. */
function chunk(pieces: Iterable<Buffer>, params = DEFAULT_CHUNKER, gear = GEAR): Buffer[] {
  const chunker = new Chunker(params, gear);
  const chunks: Buffer[] = [];
  for (const piece of pieces) chunks.push(...chunker.push(piece));
  const last = chunker.finish();
  if (last) chunks.push(last);
  return chunks;
}

/** End offsets of the chunks: the cut points. */
function cuts(chunks: Buffer[]): number[] {
  let end = 0;
  return chunks.map((c) => (end += c.length));
}

function* slices(data: Buffer, sizes: (i: number) => number): Generator<Buffer> {
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = sizes(i);
    yield data.subarray(at, at + size);
    at += size;
  }
}

function* slicesAt(data: Buffer, offsets: number[]): Generator<Buffer> {
  let at = 0;
  for (const offset of [...offsets, data.length]) {
    yield data.subarray(at, offset);
    at = offset;
  }
}

/** A deterministic sequence of odd slice sizes in [1, limit]. */
function oddSizes(limit: number, seed: number): (i: number) => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return ((state >>> 8) % limit) | 1;
  };
}

function sha(chunk: Buffer): string {
  return createHash('sha256').update(chunk).digest('hex');
}

function assertBounds(chunks: Buffer[], params: ChunkerParams): void {
  chunks.forEach((c, i) => {
    assert.ok(c.length <= params.max, `chunk ${i} is ${c.length} bytes, above max ${params.max}`);
    if (i < chunks.length - 1)
      assert.ok(c.length >= params.min, `chunk ${i} is ${c.length} bytes, below min ${params.min}`);
  });
}

describe('chunker', () => {
  const data = fsTree.pseudoRandomBytes(24 * MiB, 'chunker');
  const reference = chunk([data]);

  test('the chunks of a file concatenate to the file', () => {
    assert.ok(reference.length > 10, `only ${reference.length} chunks from 24 MiB`);
    assert.ok(Buffer.concat(reference).equals(data));
  });

  test('cut points do not depend on how the input is sliced', () => {
    const expected = cuts(reference);
    const slicings: [string, Iterable<Buffer>][] = [
      ['8 MiB blocks', slices(data, () => 8 * MiB)],
      ['odd sizes up to 64 KiB', slices(data, oddSizes(64 * 1024, 1))],
      ['odd sizes up to 3 MiB', slices(data, oddSizes(3 * MiB, 2))],
      // Slice boundaries exactly on, just before and just after each cut point.
      ['at the cut points', slicesAt(data, expected.slice(0, -1))],
      [
        'one byte before the cut points',
        slicesAt(
          data,
          expected.slice(0, -1).map((c) => c - 1),
        ),
      ],
      [
        'one byte after the cut points',
        slicesAt(
          data,
          expected.slice(0, -1).map((c) => c + 1),
        ),
      ],
      [
        'the min, avg and max offsets',
        slicesAt(data, [DEFAULT_CHUNKER.min, DEFAULT_CHUNKER.avg, DEFAULT_CHUNKER.max]),
      ],
    ];
    for (const [name, pieces] of slicings) {
      const chunks = chunk(pieces);
      assert.deepEqual(cuts(chunks), expected, name);
      assert.ok(Buffer.concat(chunks).equals(data), name);
    }
  });

  test('one-byte pushes cut where one big buffer does', () => {
    const small = data.subarray(0, MiB);
    const expected = cuts(chunk([small], SMALL));
    assert.ok(expected.length > 20);
    assert.deepEqual(
      cuts(
        chunk(
          slices(small, () => 1),
          SMALL,
        ),
      ),
      expected,
    );
    assert.deepEqual(cuts(chunk(slices(small, oddSizes(7, 3)), SMALL)), expected);
  });

  test('the same key gives the same gear table; another key other cut points', () => {
    assert.deepEqual(gearTable(Buffer.alloc(32, 7)), GEAR);
    const other = gearTable(randomBytes(32));
    assert.notDeepEqual(other, GEAR);
    assert.notDeepEqual(cuts(chunk([data], DEFAULT_CHUNKER, other)), cuts(reference));
  });

  test('every chunk but the last is at least min, every chunk at most max', () => {
    assertBounds(reference, DEFAULT_CHUNKER);
    const small = chunk([data.subarray(0, 8 * MiB)], SMALL);
    assert.ok(small.length > 200);
    assertBounds(small, SMALL);
  });

  test('chunk sizes average near the target, so the mask is right', () => {
    const small = chunk([data], SMALL);
    const mean = data.length / small.length;
    assert.ok(
      mean > SMALL.avg * 0.75 && mean < SMALL.avg * 2,
      `mean chunk size ${mean} for avg ${SMALL.avg}`,
    );
    const mean1M = data.length / reference.length;
    assert.ok(mean1M > DEFAULT_CHUNKER.avg * 0.75 && mean1M < DEFAULT_CHUNKER.avg * 2, `mean ${mean1M}`);
  });

  test('data without cut points (all zeros) is cut at exactly max', () => {
    const zeros = Buffer.alloc(20 * MiB);
    for (const pieces of [[zeros], slices(zeros, () => 8 * MiB), slices(zeros, oddSizes(MiB, 4))]) {
      const chunks = chunk(pieces);
      assert.deepEqual(
        chunks.map((c) => c.length),
        [8 * MiB, 8 * MiB, 4 * MiB],
      );
    }
  });

  test('a stream shorter than min is one chunk, an empty stream none', () => {
    const short = data.subarray(0, DEFAULT_CHUNKER.min - 1);
    assert.deepEqual(
      chunk([short]).map((c) => c.length),
      [short.length],
    );
    assert.deepEqual(chunk([]), []);
    assert.deepEqual(chunk([Buffer.alloc(0)]), []);
  });

  test('bytes inserted near the start of a 50 MiB file change only the chunks around them', () => {
    const original = fsTree.pseudoRandomBytes(50 * MiB, 'insertion');
    const insertAt = 100_000;
    const edited = Buffer.concat([
      original.subarray(0, insertAt),
      Buffer.from('INSERTED'),
      original.subarray(insertAt),
    ]);
    const before = chunk([original]).map(sha);
    const afterChunks = chunk(slices(edited, () => 8 * MiB));
    const after = afterChunks.map(sha);

    const known = new Set(before);
    const changed = after.flatMap((id, i) => (known.has(id) ? [] : [i]));
    assert.ok(changed.length >= 1, 'the chunk holding the insertion must change');
    // Only chunks that start before the insertion plus one max chunk can be affected.
    const starts = cuts(afterChunks).map((end, i) => end - afterChunks[i]!.length);
    for (const i of changed)
      assert.ok(starts[i]! < insertAt + DEFAULT_CHUNKER.max, `chunk ${i} at ${starts[i]} changed`);
    assert.ok(changed.length <= 2, `${changed.length} of ${after.length} chunks changed`);
    const shared = after.filter((id) => known.has(id)).length / after.length;
    assert.ok(shared >= 0.95, `only ${(shared * 100).toFixed(1)} % of the chunks are shared`);
    // Everything after the changed chunks is the same sequence as before.
    assert.deepEqual(
      after.slice(changed.at(-1)! + 1),
      before.slice(before.length - (after.length - changed.at(-1)! - 1)),
    );
  });
});
