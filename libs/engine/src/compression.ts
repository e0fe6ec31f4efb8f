import { constants, zstdCompress, zstdDecompress } from 'node:zlib';
import { promisify } from 'node:util';
import { CairnError } from './errors.js';

export type CompressionMode = 'off' | 'fast' | 'default' | 'max';
export const COMPRESSION_MODES: readonly CompressionMode[] = ['off', 'fast', 'default', 'max'];

const LEVELS: Record<CompressionMode, number> = { off: 0, fast: 1, default: 3, max: 19 };

const compressAsync = promisify(zstdCompress);
const decompressAsync = promisify(zstdDecompress);

/**
 * Compresses on libuv's thread pool, so compression runs beside hashing and encryption on the main
 * thread. Returns undefined when compression is off or would not save at least 1/64 of the size.
 */
export async function compress(data: Buffer, mode: CompressionMode): Promise<Buffer | undefined> {
  if (mode === 'off' || data.length < 64) return undefined;
  const packed = await compressAsync(data, {
    params: {
      [constants.ZSTD_c_compressionLevel]: LEVELS[mode],
      [constants.ZSTD_c_checksumFlag]: 0,
      [constants.ZSTD_c_contentSizeFlag]: 1,
    },
  });
  return packed.length <= data.length - (data.length >> 6) ? packed : undefined;
}

export async function decompress(data: Buffer, rawLength: number, what: string): Promise<Buffer> {
  try {
    const raw = await decompressAsync(data, { maxOutputLength: rawLength });
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
