import { createHash, randomFillSync, type Hash, type KeyObject } from 'node:crypto';
import { open, seal, SEAL_OVERHEAD } from '../crypto/aead.js';
import { ID_BYTES } from '../crypto/ids.js';
import { CairnError } from '../errors.js';
import type { Backend } from '../backends/backend.js';
import { padme } from './padme.js';

export type BlobType = 'data' | 'tree';

/** Where a blob lies inside its pack. `length` is the sealed (stored) length. */
export interface PackedBlob {
  id: string;
  type: BlobType;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
}

const FLAG_TREE = 1;
const FLAG_COMPRESSED = 2;
/** flags u8, sealed length u32, raw length u32, id. Offsets are implied by order. */
const HEADER_ENTRY_BYTES = 1 + 4 + 4 + ID_BYTES;
const LENGTH_FIELD_BYTES = 4;

/** What a pack of `count` blobs of `blobBytes` in all takes before padding: blobs, sealed header, length. */
export function unpaddedPackSize(count: number, blobBytes: number): number {
  return blobBytes + count * HEADER_ENTRY_BYTES + SEAL_OVERHEAD + LENGTH_FIELD_BYTES;
}

export function blobFlags(blob: Pick<PackedBlob, 'type' | 'compressed'>): number {
  return (blob.type === 'tree' ? FLAG_TREE : 0) | (blob.compressed ? FLAG_COMPRESSED : 0);
}

export function flagsToBlob(flags: number): Pick<PackedBlob, 'type' | 'compressed'> {
  return { type: flags & FLAG_TREE ? 'tree' : 'data', compressed: (flags & FLAG_COMPRESSED) !== 0 };
}

/**
 * Builds one pack in memory: sealed blobs, random padding, then the sealed header, then its length
 * (uint32 LE). The padding makes the pack's size a Padmé length, so a storage provider cannot read
 * the sum of the blob sizes off it; it is random so that it cannot be told from the sealed blobs, and
 * its length follows from the header (see {@link decodeHeader}). Blobs are copied into one buffer as
 * they come, so finishing needs no concatenation; the buffer can be reused for the next pack once
 * this one is stored.
 */
export class PackWriter {
  readonly blobs: PackedBlob[] = [];
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  constructor(private buffer: Buffer) {}

  add(id: string, type: BlobType, sealed: Buffer, rawLength: number, compressed: boolean): void {
    this.blobs.push({ id, type, offset: this.size, length: sealed.length, rawLength, compressed });
    this.append(sealed);
  }

  /** The padding this pack would get if it were finished now. */
  get padding(): number {
    const unpadded = unpaddedPackSize(this.blobs.length, this.size);
    return padme(unpadded) - unpadded;
  }

  /** Moves the blobs of another pack under construction into this one (which takes its place). */
  absorb(other: PackWriter): void {
    // Room for both, the header and the padding at once, instead of doubling a full buffer.
    this.growTo(this.size + other.size + Math.ceil((this.size + other.size) / 8) + 64 * 1024);
    for (const blob of other.blobs) {
      const sealed = other.buffer.subarray(blob.offset, blob.offset + blob.length);
      this.add(blob.id, blob.type, sealed, blob.rawLength, blob.compressed);
    }
  }

  /** Seals the header and returns the pack's bytes (a view of the buffer) and id (their SHA-256). */
  finish(encryptionKey: KeyObject): { id: string; bytes: Buffer; blobs: PackedBlob[]; buffer: Buffer } {
    const header = Buffer.allocUnsafe(this.blobs.length * HEADER_ENTRY_BYTES);
    this.blobs.forEach((blob, i) => {
      const at = i * HEADER_ENTRY_BYTES;
      header.writeUInt8(blobFlags(blob), at);
      header.writeUInt32LE(blob.length, at + 1);
      header.writeUInt32LE(blob.rawLength, at + 5);
      header.write(blob.id, at + 9, 'hex');
    });
    const sealedHeader = seal(encryptionKey, header);
    const length = Buffer.allocUnsafe(LENGTH_FIELD_BYTES);
    length.writeUInt32LE(sealedHeader.length);
    const unpadded = this.size + sealedHeader.length + LENGTH_FIELD_BYTES;
    this.appendRandom(padme(unpadded) - unpadded);
    this.append(sealedHeader);
    this.append(length);
    return {
      id: this.hash.digest('hex'),
      bytes: this.buffer.subarray(0, this.size),
      blobs: this.blobs,
      buffer: this.buffer,
    };
  }

  private append(bytes: Buffer): void {
    this.makeRoom(bytes.length);
    bytes.copy(this.buffer, this.size);
    this.hash.update(bytes);
    this.size += bytes.length;
  }

  private appendRandom(length: number): void {
    this.makeRoom(length);
    randomFillSync(this.buffer, this.size, length);
    this.hash.update(this.buffer.subarray(this.size, this.size + length));
    this.size += length;
  }

  private makeRoom(length: number): void {
    if (this.size + length > this.buffer.length)
      this.growTo(Math.max(this.buffer.length * 2, this.size + length));
  }

  private growTo(capacity: number): void {
    if (capacity <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(capacity);
    this.buffer.copy(grown, 0, 0, this.size);
    this.buffer = grown;
  }
}

/**
 * Parses a decrypted header into blob locations, and holds the padding against it: the blobs end
 * where the padding starts, and the padding is what Padmé adds to blobs + header + length field, or
 * nothing (packs written before padding, which stay readable). So a padding cut short or lengthened
 * is damage that is named, even where only the end of the pack is read.
 */
function decodeHeader(header: Buffer, what: string, headerStart: number, packSize: number): PackedBlob[] {
  if (header.length % HEADER_ENTRY_BYTES !== 0)
    throw new CairnError('corrupt', `${what}: malformed pack header`);
  const blobs: PackedBlob[] = [];
  let offset = 0;
  for (let at = 0; at < header.length; at += HEADER_ENTRY_BYTES) {
    const length = header.readUInt32LE(at + 1);
    blobs.push({
      ...flagsToBlob(header.readUInt8(at)),
      id: header.toString('hex', at + 9, at + 9 + ID_BYTES),
      offset,
      length,
      rawLength: header.readUInt32LE(at + 5),
    });
    offset += length;
  }
  if (offset > headerStart)
    throw new CairnError('corrupt', `${what}: header describes more bytes than the pack holds`);
  const padding = headerStart - offset;
  const unpadded = packSize - padding;
  if (padding > 0 && padme(unpadded) !== packSize) {
    throw new CairnError(
      'corrupt',
      `${what}: ${padding} bytes of padding where its header calls for ${padme(unpadded) - unpadded} ` +
        '(the pack was cut short or lengthened)',
    );
  }
  return blobs;
}

/** Splits complete pack bytes into blob locations (for `check --read-data` and repairs). */
export function parsePack(bytes: Buffer, encryptionKey: KeyObject, what: string): PackedBlob[] {
  if (bytes.length < LENGTH_FIELD_BYTES + SEAL_OVERHEAD)
    throw new CairnError('corrupt', `${what}: too short`);
  const headerLength = bytes.readUInt32LE(bytes.length - LENGTH_FIELD_BYTES);
  const headerStart = bytes.length - LENGTH_FIELD_BYTES - headerLength;
  if (headerStart < 0) throw new CairnError('corrupt', `${what}: header length out of range`);
  const header = open(encryptionKey, bytes.subarray(headerStart, bytes.length - LENGTH_FIELD_BYTES), what);
  return decodeHeader(header, what, headerStart, bytes.length);
}

/** Reads only the end of a pack to learn its blobs, without downloading the blobs. */
export async function readPackHeader(
  backend: Backend,
  encryptionKey: KeyObject,
  name: string,
  size: number,
): Promise<PackedBlob[]> {
  const what = `pack ${name}`;
  if (size < LENGTH_FIELD_BYTES + SEAL_OVERHEAD) throw new CairnError('corrupt', `${what}: too short`);
  const guess = Math.min(size, 64 * 1024);
  let tail = await backend.load('pack', name, { offset: size - guess, length: guess });
  const headerLength = tail.readUInt32LE(tail.length - LENGTH_FIELD_BYTES);
  const needed = headerLength + LENGTH_FIELD_BYTES;
  if (needed > size) throw new CairnError('corrupt', `${what}: header length out of range`);
  if (needed > tail.length)
    tail = await backend.load('pack', name, { offset: size - needed, length: needed });
  const sealedHeader = tail.subarray(tail.length - needed, tail.length - LENGTH_FIELD_BYTES);
  return decodeHeader(open(encryptionKey, sealedHeader, what), what, size - needed, size);
}
