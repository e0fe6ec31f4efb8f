import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { CairnError } from './errors.js';

export type CompressionMode = 'off' | 'fast' | 'default' | 'max';
export const COMPRESSION_MODES: readonly CompressionMode[] = ['off', 'fast', 'default', 'max'];

const LEVELS: Record<CompressionMode, number> = { off: 0, fast: 1, default: 3, max: 19 };

/**
 * Synchronous on purpose: blobs are compressed in worker threads, and Node's async zlib costs a
 * context and several thread-pool round trips per call, which is slower than the work for small blobs.
 * Returns undefined when compression is off or would not save at least 1/64 of the size.
 */
export function compress(data: Buffer, mode: CompressionMode): Buffer | undefined {
  if (mode === 'off' || data.length < 64) return undefined;
  const packed = zstdCompressSync(data, {
    chunkSize: data.length + 1024,
    params: {
      [constants.ZSTD_c_compressionLevel]: LEVELS[mode],
      [constants.ZSTD_c_checksumFlag]: 0,
      [constants.ZSTD_c_contentSizeFlag]: 1,
    },
  });
  return packed.length <= data.length - (data.length >> 6) ? packed : undefined;
}

export function decompress(data: Buffer, rawLength: number, what: string): Buffer {
  try {
    const raw = zstdDecompressSync(data, {
      maxOutputLength: Math.max(rawLength, 1),
      chunkSize: Math.max(rawLength, 64),
    });
    if (raw.length !== rawLength) throw new Error('length mismatch');
    return raw;
  } catch (error) {
    throw new CairnError('corrupt', `${what}: cannot decompress (${(error as Error).message})`);
  }
}

export function parseCompressionMode(value: string): CompressionMode {
  if ((COMPRESSION_MODES as readonly string[]).includes(value)) return value as CompressionMode;
  throw new CairnError('usage', `compression must be one of ${COMPRESSION_MODES.join(', ')}, not "${value}"`);
}
