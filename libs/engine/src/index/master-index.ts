import { blobFlags, flagsToBlob, type BlobType, type PackedBlob } from '../pack/pack.js';

export interface BlobLocation {
  packId: string;
  type: BlobType;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
}

/** Blobs per segment of the typed arrays: growing adds a segment and never copies the blobs. */
const SEGMENT_BITS = 16;
const SEGMENT_BLOBS = 1 << SEGMENT_BITS;
/** A 32-byte blob id as eight 32-bit words. */
const ID_WORDS = 8;
/** Pack number, offset, stored length, raw length. */
const FIELDS = 4;

class Segment {
  readonly ids = new Uint32Array(SEGMENT_BLOBS * ID_WORDS);
  readonly fields = new Uint32Array(SEGMENT_BLOBS * FIELDS);
  readonly flags = new Uint8Array(SEGMENT_BLOBS);
}

/**
 * Every known blob of a repository, in memory: blob id → where it is stored. A large repository has
 * tens of millions of blobs, so each is kept as numbers, not objects: its id as 32 raw bytes and its
 * location in typed arrays, found through an open-addressing hash table of blob numbers keyed by the
 * id's first word (ids are HMACs, so evenly spread). About 60 bytes per blob (`make bench` measures
 * it) where a Map of hex strings to objects took 190.
 */
export class MasterIndex {
  private readonly segments: Segment[] = [];
  private count = 0;
  /** Linear probing; a slot holds blob number + 1, 0 is free. A power of two, at most 3/4 full. */
  private table = new Uint32Array(1024);
  private readonly packNumbers = new Map<string, number>();
  private readonly packs: string[] = [];
  private readonly packBlobCounts: number[] = [];
  /** The id being looked up, as words. */
  private readonly key = new Uint32Array(ID_WORDS);
  private readonly keyBytes = Buffer.from(this.key.buffer);

  addPack(packId: string, blobs: readonly PackedBlob[]): void {
    if (this.packNumbers.has(packId)) return;
    const pack = this.packs.length;
    this.packs.push(packId);
    this.packNumbers.set(packId, pack);
    this.packBlobCounts.push(blobs.length);
    for (const blob of blobs) {
      const slot = this.slotOf(blob.id);
      if (slot === undefined) throw new RangeError(`index: ${blob.id} is not a blob id`);
      if (this.table[slot] !== 0) continue; // the first copy of a blob is the one used
      this.append(pack, blob);
      this.table[slot] = this.count;
      if (this.count * 4 > this.table.length * 3) this.growTable();
    }
  }

  get(id: string): BlobLocation | undefined {
    const number = this.numberOf(id);
    return number === undefined ? undefined : this.location(number);
  }

  has(id: string): boolean {
    return this.numberOf(id) !== undefined;
  }

  hasPack(packId: string): boolean {
    return this.packNumbers.has(packId);
  }

  /** How many blobs the index files list for the pack (also those the index locates elsewhere). */
  packBlobCount(packId: string): number | undefined {
    const pack = this.packNumbers.get(packId);
    return pack === undefined ? undefined : this.packBlobCounts[pack];
  }

  get packIds(): IterableIterator<string> {
    return this.packNumbers.keys();
  }

  get blobCount(): number {
    return this.count;
  }

  *entries(): IterableIterator<[string, BlobLocation]> {
    for (let number = 0; number < this.count; number++) {
      const segment = this.segments[number >>> SEGMENT_BITS]!;
      const at = (number & (SEGMENT_BLOBS - 1)) * ID_WORDS * 4;
      const id = Buffer.from(segment.ids.buffer, at, ID_WORDS * 4).toString('hex');
      yield [id, this.location(number)];
    }
  }

  private append(pack: number, blob: PackedBlob): void {
    const inSegment = this.count & (SEGMENT_BLOBS - 1);
    if (inSegment === 0) this.segments.push(new Segment());
    const segment = this.segments[this.segments.length - 1]!;
    segment.ids.set(this.key, inSegment * ID_WORDS);
    const at = inSegment * FIELDS;
    segment.fields[at] = pack;
    segment.fields[at + 1] = blob.offset;
    segment.fields[at + 2] = blob.length;
    segment.fields[at + 3] = blob.rawLength;
    segment.flags[inSegment] = blobFlags(blob);
    this.count++;
  }

  private location(number: number): BlobLocation {
    const segment = this.segments[number >>> SEGMENT_BITS]!;
    const inSegment = number & (SEGMENT_BLOBS - 1);
    const at = inSegment * FIELDS;
    return {
      packId: this.packs[segment.fields[at]!]!,
      ...flagsToBlob(segment.flags[inSegment]!),
      offset: segment.fields[at + 1]!,
      length: segment.fields[at + 2]!,
      rawLength: segment.fields[at + 3]!,
    };
  }

  private numberOf(id: string): number | undefined {
    const slot = this.slotOf(id);
    if (slot === undefined || this.table[slot] === 0) return undefined;
    return this.table[slot]! - 1;
  }

  /** Puts `id` in {@link key} and finds its slot, or the free slot where it belongs; undefined if no id. */
  private slotOf(id: string): number | undefined {
    if (id.length !== ID_WORDS * 8 || this.keyBytes.write(id, 'hex') !== ID_WORDS * 4) return undefined;
    const mask = this.table.length - 1;
    for (let slot = this.key[0]! & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0 || this.keyIs(entry - 1)) return slot;
    }
  }

  private keyIs(number: number): boolean {
    const ids = this.segments[number >>> SEGMENT_BITS]!.ids;
    const at = (number & (SEGMENT_BLOBS - 1)) * ID_WORDS;
    for (let word = 0; word < ID_WORDS; word++) if (ids[at + word] !== this.key[word]) return false;
    return true;
  }

  private growTable(): void {
    const table = new Uint32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let number = 0; number < this.count; number++) {
      const ids = this.segments[number >>> SEGMENT_BITS]!.ids;
      let slot = ids[(number & (SEGMENT_BLOBS - 1)) * ID_WORDS]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = number + 1;
    }
    this.table = table;
  }
}
