import { ID_BYTES } from '../crypto/ids.js';
import { CairnError } from '../errors.js';
import { blobFlags, flagsToBlob, type PackedBlob } from '../pack/pack.js';

/** The content of one `index/<id>` file before encryption. */
export interface IndexContent {
  /** Index files that this one replaces (written by prune and repair; they may be deleted after). */
  supersedes: string[];
  packs: { id: string; blobs: PackedBlob[] }[];
}

const MAGIC = Buffer.from('CAIRNIX1');
/** flags u8, offset u32, sealed length u32, raw length u32, id. */
const ENTRY_BYTES = 1 + 4 + 4 + 4 + ID_BYTES;

export function encodeIndex(content: IndexContent): Buffer {
  const blobCount = content.packs.reduce((sum, pack) => sum + pack.blobs.length, 0);
  const size =
    MAGIC.length +
    4 +
    content.supersedes.length * ID_BYTES +
    4 +
    content.packs.length * (ID_BYTES + 4) +
    blobCount * ENTRY_BYTES;
  const out = Buffer.allocUnsafe(size);
  let at = MAGIC.copy(out, 0);
  at = out.writeUInt32LE(content.supersedes.length, at);
  for (const id of content.supersedes) at += out.write(id, at, 'hex');
  at = out.writeUInt32LE(content.packs.length, at);
  for (const pack of content.packs) {
    at += out.write(pack.id, at, 'hex');
    at = out.writeUInt32LE(pack.blobs.length, at);
    for (const blob of pack.blobs) {
      at = out.writeUInt8(blobFlags(blob), at);
      at = out.writeUInt32LE(blob.offset, at);
      at = out.writeUInt32LE(blob.length, at);
      at = out.writeUInt32LE(blob.rawLength, at);
      at += out.write(blob.id, at, 'hex');
    }
  }
  return out;
}

export function decodeIndex(bytes: Buffer, what: string): IndexContent {
  const fail = () => new CairnError('corrupt', `${what}: malformed index`);
  if (bytes.length < MAGIC.length + 8 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw fail();
  let at = MAGIC.length;
  const need = (n: number) => {
    if (at + n > bytes.length) throw fail();
  };
  const readId = () => {
    need(ID_BYTES);
    const id = bytes.toString('hex', at, at + ID_BYTES);
    at += ID_BYTES;
    return id;
  };
  const readU32 = () => {
    need(4);
    const value = bytes.readUInt32LE(at);
    at += 4;
    return value;
  };
  const supersedes = Array.from({ length: readU32() }, readId);
  const packCount = readU32();
  const packs: IndexContent['packs'] = [];
  for (let p = 0; p < packCount; p++) {
    const id = readId();
    const count = readU32();
    need(count * ENTRY_BYTES);
    const blobs: PackedBlob[] = [];
    for (let b = 0; b < count; b++) {
      const flags = bytes.readUInt8(at);
      at += 1;
      const offset = readU32();
      const length = readU32();
      const rawLength = readU32();
      blobs.push({ ...flagsToBlob(flags), offset, length, rawLength, id: readId() });
    }
    packs.push({ id, blobs });
  }
  if (at !== bytes.length) throw fail();
  return { supersedes, packs };
}
