import { createHash, createHmac, type KeyObject } from 'node:crypto';

/** Hex SHA-256 of stored file bytes: every pack, index, snapshot and key file is named by it. */
export function fileId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Keyed blob id: two repositories with different id keys never share blob ids. */
export function blobId(idKey: Buffer | KeyObject, plaintext: Uint8Array): string {
  return createHmac('sha256', idKey).update(plaintext).digest('hex');
}

export const ID_BYTES = 32;
