import type { ChunkerParams } from '../chunker/chunker.js';
import type { CompressionMode } from '../compression.js';
import type { ErrorKind } from '../errors.js';
import type { PackedBlob } from '../pack/pack.js';
import type { EntryMetadata } from '../restorer/metadata.js';

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

/** A file a restore job writes to, named by its folder (relative to the target) and name. */
export interface RestoreFile {
  dir: Uint8Array;
  name: Uint8Array;
  /** Present when this job writes the file's last blobs: the worker then sets its size and metadata. */
  finish?: { size: number; metadata: EntryMetadata };
}

export interface RestoreTarget {
  /** Index into the job's `files`. */
  file: number;
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
  | {
      kind: 'restore-blobs';
      packId: string;
      bytes: Uint8Array;
      base: number;
      /** An open handle of the restore target (file descriptors are shared by all threads). */
      root: number;
      /** Whether to set owners (only root may). */
      chown: boolean;
      files: RestoreFile[];
      blobs: RestoreBlob[];
    }
  | { kind: 'verify-pack'; packId: string; bytes: Uint8Array };

export interface BackupFileResult {
  changed: boolean;
}

export interface RestoreBlobsResult {
  /** Bytes of content restored (zeros left as holes included). */
  written: number;
  /** What could not be set on the files this job finished. */
  problems: { file: number; message: string }[];
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
