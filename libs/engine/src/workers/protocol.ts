import type { ChunkerParams } from '../chunker/chunker.js';
import type { CompressionMode } from '../compression.js';
import type { ErrorKind } from '../errors.js';
import type { PackedBlob } from '../pack/pack.js';

/** What every worker gets at start: the keys stay in memory, never on disk or in a message log. */
export interface WorkerInit {
  encryptionKey: Uint8Array;
  idKey: Uint8Array;
  chunker: ChunkerParams;
  compression: CompressionMode;
  /** Bloom filter of blob ids the repository has (written by the main thread only). */
  bloom: SharedArrayBuffer;
  /** [0]: KiB of sealed blobs posted but not yet stored; workers pause above the limit. */
  credit: SharedArrayBuffer;
  creditLimitKiB: number;
}

export interface RestoreTarget {
  path: Uint8Array;
  offset: number;
}

export interface RestoreBlob {
  id: string;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
  targets: RestoreTarget[];
}

export type Job =
  | {
      kind: 'backup-file';
      path: Uint8Array;
      size: number;
      mtimeNs: string;
      /** The file the archiver's lstat saw; the worker reads only that very file. */
      dev: string;
      ino: string;
    }
  | { kind: 'restore-blobs'; packId: string; bytes: Uint8Array; base: number; blobs: RestoreBlob[] }
  | { kind: 'verify-pack'; packId: string; bytes: Uint8Array };

export interface BackupFileResult {
  changed: boolean;
}

export interface VerifyPackResult {
  blobs: PackedBlob[];
}

/** A chunk of a file being backed up; `sealed` is absent when the repository probably has it. */
export interface ChunkMessage {
  kind: 'chunk';
  jobId: number;
  id: string;
  offset: number;
  rawLength: number;
  sealed?: Uint8Array;
  compressed: boolean;
}

export type WorkerMessage =
  | ChunkMessage
  | { kind: 'done'; jobId: number; result: unknown }
  | { kind: 'failed'; jobId: number; error: { kind?: ErrorKind; code?: string; message: string } };

/** The code of a failed backup-file job whose path no longer named the file that was listed. */
export const REPLACED_FILE = 'EREPLACED';

export function kibOf(bytes: number): number {
  return Math.ceil(bytes / 1024);
}
