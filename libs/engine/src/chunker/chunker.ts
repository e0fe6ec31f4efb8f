import { createHmac } from 'node:crypto';
import { CairnError } from '../errors.js';

export interface ChunkerParams {
  min: number;
  avg: number;
  max: number;
}

export const DEFAULT_CHUNKER: ChunkerParams = { min: 512 * 1024, avg: 1024 * 1024, max: 8 * 1024 * 1024 };

/** FastCDC's normalization level: masks this many bits harder before `avg` and easier after. */
const NORMALIZATION = 2;

export function validateChunkerParams(params: ChunkerParams): ChunkerParams {
  const { min, avg, max } = params;
  const powerOfTwo = Number.isInteger(Math.log2(avg));
  if (!(min >= 64 && min < avg && avg < max && max <= 64 * 1024 * 1024 && powerOfTwo)) {
    throw new CairnError('corrupt', `invalid chunker parameters min=${min} avg=${avg} max=${max}`);
  }
  return params;
}

/**
 * The gear table is derived from the repository's id key, so chunk boundaries (and so the sizes of
 * chunks) reveal nothing that could be matched against known files in another repository.
 */
export function gearTable(idKey: Buffer): Int32Array {
  const bytes = Buffer.alloc(256 * 4);
  for (let block = 0; block < 32; block++) {
    createHmac('sha256', idKey)
      .update(`cairn-gear-v1:${block}`)
      .digest()
      .copy(bytes, block * 32);
  }
  return new Int32Array(bytes.buffer, bytes.byteOffset, 256);
}

function topBitsMask(bits: number): number {
  return (0xffffffff << (32 - bits)) | 0;
}

/**
 * Content-defined chunking with a 32-bit gear hash (FastCDC, normalized). Only the top bits of the
 * hash are tested: they depend on the last 32 bytes, the low bits on only the last few.
 *
 * Bytes are pushed in any slicing; chunks come out as views of the pushed buffers whenever a chunk lies
 * inside one buffer, and are copied only when they span two.
 */
export class Chunker {
  private readonly maskHard: number;
  private readonly maskEasy: number;
  private pending: Buffer[] = [];
  private length = 0;
  private hash = 0;

  constructor(
    private readonly params: ChunkerParams,
    private readonly gear: Int32Array,
  ) {
    const bits = Math.log2(params.avg);
    this.maskHard = topBitsMask(bits + NORMALIZATION);
    this.maskEasy = topBitsMask(bits - NORMALIZATION);
  }

  /** Feeds the next bytes of the stream; returns the chunks they complete, in order. */
  push(data: Buffer): Buffer[] {
    const chunks: Buffer[] = [];
    let start = 0;
    while (start < data.length) {
      const end = this.scan(data, start);
      if (end < 0) {
        this.pending.push(start === 0 ? data : data.subarray(start));
        return chunks;
      }
      chunks.push(this.take(data.subarray(start, end)));
      start = end;
    }
    return chunks;
  }

  /** The final chunk of the stream (shorter than `min` is fine), or undefined when nothing is left. */
  finish(): Buffer | undefined {
    if (this.length === 0) return undefined;
    return this.take(Buffer.alloc(0));
  }

  private take(tail: Buffer): Buffer {
    const pieces = this.pending;
    const total = this.length + tail.length;
    const chunk = pieces.length === 0 ? tail : Buffer.concat(tail.length ? [...pieces, tail] : pieces, total);
    this.pending = [];
    this.length = 0;
    this.hash = 0;
    return chunk;
  }

  /**
   * Scans `data` from `start` as the continuation of the current chunk (of which `this.length` bytes
   * are pending). Returns the index just past the cut point, or -1 when the chunk continues past the
   * end of `data`; then the pending length and hash carry over to the next push.
   */
  private scan(data: Buffer, start: number): number {
    const { min, avg, max } = this.params;
    const gear = this.gear;
    const n = data.length;
    // Position in `data` where the chunk reaches a given length.
    const at = (length: number) => start + (length - this.length);
    let hash = this.hash;
    let i = Math.max(start, at(min));
    if (i > n) return this.carry(n, start, hash);

    for (const [limit, mask] of [
      [avg, this.maskHard],
      [max, this.maskEasy],
    ] as const) {
      const stop = Math.min(n, at(limit));
      for (; i < stop; i++) {
        hash = ((hash << 1) + gear[data[i]!]!) | 0;
        if ((hash & mask) === 0) return i + 1;
      }
    }
    if (i === at(max)) return i;
    return this.carry(n, start, hash);
  }

  private carry(n: number, start: number, hash: number): -1 {
    this.length += n - start;
    this.hash = hash;
    return -1;
  }
}
