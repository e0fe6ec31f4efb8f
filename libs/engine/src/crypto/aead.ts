import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { CairnError } from '../errors.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes that sealing adds to a plaintext: the nonce in front, the GCM tag behind. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

/** AES-256-GCM with a random 96-bit nonce: `nonce || ciphertext || tag`. */
export function seal(key: Buffer | KeyObject, plaintext: Uint8Array): Buffer {
  // Its own ArrayBuffer (never Node's shared pool), so a worker can transfer it without copying.
  const out = Buffer.allocUnsafeSlow(plaintext.length + SEAL_OVERHEAD);
  randomBytes(NONCE_BYTES).copy(out, 0);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(0, NONCE_BYTES));
  let written = NONCE_BYTES + cipher.update(plaintext).copy(out, NONCE_BYTES);
  written += cipher.final().copy(out, written);
  cipher.getAuthTag().copy(out, written);
  return out;
}

/** Reverses {@link seal}; any change to the sealed bytes throws a `corrupt` error naming `what`. */
export function open(key: Buffer | KeyObject, sealed: Uint8Array, what: string): Buffer {
  if (sealed.length < SEAL_OVERHEAD)
    throw new CairnError('corrupt', `${what}: too short to be encrypted data`);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    const head = decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw new CairnError('corrupt', `${what}: authentication failed (data was modified or damaged)`);
  }
}
