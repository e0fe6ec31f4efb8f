import type { KeyObject } from 'node:crypto';
import { open, seal } from '../crypto/aead.js';
import { blobId } from '../crypto/ids.js';
import type { MasterKeyObjects } from '../crypto/keys.js';
import { compress, decompress, type CompressionMode } from '../compression.js';
import { CairnError } from '../errors.js';

export interface EncodedBlob {
  sealed: Buffer;
  compressed: boolean;
}

/** Compresses (when it pays) and encrypts one blob: what the pack stores. */
export function encodeBlob(plaintext: Buffer, mode: CompressionMode, encryptionKey: KeyObject): EncodedBlob {
  const compressed = compress(plaintext, mode);
  return { sealed: seal(encryptionKey, compressed ?? plaintext), compressed: compressed !== undefined };
}

export interface StoredBlobInfo {
  packId: string;
  rawLength: number;
  compressed: boolean;
}

/** Decrypts, decompresses and checks a stored blob against its id; any damage is a `corrupt` error. */
export function decodeBlob(
  keys: MasterKeyObjects,
  id: string,
  info: StoredBlobInfo,
  sealed: Uint8Array,
): Buffer {
  const what = `blob ${id.slice(0, 16)} in pack ${info.packId}`;
  const stored = open(keys.encryption, sealed, what);
  const plaintext = info.compressed ? decompress(stored, info.rawLength, what) : stored;
  if (plaintext.length !== info.rawLength || blobId(keys.id, plaintext) !== id) {
    throw new CairnError('corrupt', `${what}: content does not match its id`);
  }
  return plaintext;
}
