import { createSecretKey } from 'node:crypto';
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Chunker, gearTable } from '../chunker/chunker.js';
import { blobId, fileId } from '../crypto/ids.js';
import type { MasterKeyObjects } from '../crypto/keys.js';
import { CairnError, errnoCode } from '../errors.js';
import { decodeBlob, encodeBlob } from '../pack/blob-codec.js';
import { parsePack } from '../pack/pack.js';
import { nativeFs } from '../native/native-fs.js';
import { FolderHandles } from '../restorer/folder-handles.js';
import { applyToHandle } from '../restorer/metadata.js';
import { SharedBloom } from './bloom.js';
import { countDropped } from './garbage.js';
import {
  kibOf,
  REPLACED_FILE,
  type BackupFileResult,
  type Job,
  type RestoreBlobsResult,
  type VerifyPackResult,
  type WorkerInit,
  type WorkerMessage,
} from './protocol.js';

// Runs jobs one at a time with blocking file I/O: it blocks only this thread, and saves the
// promise and thread-pool overhead that dominates when files are small.
const init = workerData as WorkerInit;
const keys: MasterKeyObjects = {
  encryption: createSecretKey(Buffer.from(init.encryptionKey)),
  id: createSecretKey(Buffer.from(init.idKey)),
};
const gear = gearTable(Buffer.from(init.idKey));
const bloom = new SharedBloom(init.bloom);
const credit = new Int32Array(init.credit);
// At least one maximal chunk, so that (with every read filling its block) no chunk spans three blocks.
const READ_BLOCK = Math.max(8 * 1024 * 1024, init.chunker.max);

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', (job: Job & { jobId: number }) => {
  try {
    post({ kind: 'done', jobId: job.jobId, result: run(job) });
  } catch (error) {
    const kind = error instanceof CairnError ? error.kind : undefined;
    const message = error instanceof Error ? error.message : String(error);
    post({
      kind: 'failed',
      jobId: job.jobId,
      error: { message, ...(kind ? { kind } : {}), ...(errnoCode(error) ? { code: errnoCode(error)! } : {}) },
    });
  }
});

function run(job: Job & { jobId: number }): unknown {
  switch (job.kind) {
    case 'backup-file':
      return backupFile(
        job.jobId,
        openListedFile(Buffer.from(job.path), job.dev, job.ino),
        job.size,
        job.mtimeNs,
      );
    case 'restore-blobs':
      return restoreBlobs({
        ...job,
        bytes: Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length),
      });
    case 'verify-pack':
      return verifyPack(job.packId, Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length));
  }
}

/**
 * Opens the file the archiver listed, and nothing else: between its lstat and this open the name may
 * have been swapped for a symlink (O_NOFOLLOW refuses it), a FIFO (O_NONBLOCK keeps the open from
 * hanging) or another file, perhaps a hard link to one outside the source (the fstat must show the
 * listed device and inode).
 */
function openListedFile(path: Buffer, dev: string, ino: string): number {
  let fd: number;
  try {
    fd = openForReading(path);
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') throw replaced();
    throw error;
  }
  const opened = fstatSync(fd, { bigint: true });
  if (!opened.isFile() || opened.dev.toString() !== dev || opened.ino.toString() !== ino) {
    closeSync(fd);
    throw replaced();
  }
  return fd;
}

function replaced(): Error {
  return Object.assign(new Error('replaced by another file or a symlink'), { code: REPLACED_FILE });
}

function openForReading(path: Buffer): number {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  try {
    return openSync(path, flags | constants.O_NOATIME);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') throw error;
    return openSync(path, flags);
  }
}

// Reused for every file: fresh multi-MiB buffers would cost a page fault per 4 KiB each time.
// Chunks are encoded before the next read, and a chunk that spans two blocks is copied out by the
// chunker, so two alternating blocks are enough.
const blocks = [Buffer.allocUnsafeSlow(READ_BLOCK), Buffer.allocUnsafeSlow(READ_BLOCK)] as const;
const smallFile = Buffer.allocUnsafeSlow(init.chunker.min);

function backupFile(jobId: number, fd: number, size: number, mtimeNs: string): BackupFileResult {
  try {
    let offset = 0;
    const emit = (chunk: Buffer) => {
      sendChunk(jobId, chunk, offset);
      offset += chunk.length;
    };
    if (size < init.chunker.min) {
      const filled = readFully(fd, smallFile, size);
      if (filled > 0) emit(smallFile.subarray(0, filled));
    } else {
      const chunker = new Chunker(init.chunker, gear);
      for (let turn = 0; ; turn ^= 1) {
        const block = blocks[turn]!;
        const n = readFully(fd, block, READ_BLOCK);
        if (n === 0) break;
        for (const chunk of chunker.push(block.subarray(0, n))) emit(chunk);
      }
      const last = chunker.finish();
      if (last) emit(last);
    }
    const after = fstatSync(fd, { bigint: true });
    return {
      changed: Number(after.size) !== size || after.mtimeNs.toString() !== mtimeNs || offset !== size,
    };
  } finally {
    closeSync(fd);
  }
}

/** Reads sequentially until `length` bytes or the end of the file; returns the bytes read. */
function readFully(fd: number, buffer: Buffer, length: number): number {
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, null);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

function sendChunk(jobId: number, chunk: Buffer, offset: number): void {
  const id = blobId(keys.id, chunk);
  if (bloom.mightHave(id)) {
    post({ kind: 'chunk', jobId, id, offset, rawLength: chunk.length, compressed: false });
    return;
  }
  const { sealed, compressed } = encodeBlob(chunk, init.compression, keys.encryption);
  // Its compressed copy is dropped now, the sealed one is handed to the main thread.
  countDropped(chunk.length);
  waitForCredit();
  Atomics.add(credit, 0, kibOf(sealed.length));
  post({ kind: 'chunk', jobId, id, offset, rawLength: chunk.length, sealed, compressed }, [
    sealed.buffer as ArrayBuffer,
  ]);
}

/** Blocks while the main thread has too many sealed bytes waiting, which bounds memory. */
function waitForCredit(): void {
  let pending: number;
  while ((pending = Atomics.load(credit, 0)) > init.creditLimitKiB) Atomics.wait(credit, 0, pending, 100);
}

/**
 * Decrypts and verifies each blob and writes it into its files (zero pages left as holes), each file
 * opened through its folder's handle and never through a symlink; then gives the files whose last
 * blobs these were their size and metadata.
 */
function restoreBlobs(job: Extract<Job, { kind: 'restore-blobs' }> & { bytes: Buffer }): RestoreBlobsResult {
  const folders = new FolderHandles(job.root);
  const fds = new Map<number, number>();
  const open = (file: number): number => {
    let fd = fds.get(file);
    if (fd === undefined) {
      const { dir, name } = job.files[file]!;
      fd = nativeFs.openat(
        folders.get(Buffer.from(dir)),
        Buffer.from(name),
        constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW,
        0o600,
      );
      fds.set(file, fd);
    }
    return fd;
  };
  // Writes left per file in this job: a file is finished and closed after its last one, so a job of
  // many small files holds few of them open.
  const left = new Array<number>(job.files.length).fill(0);
  for (const blob of job.blobs) for (const target of blob.targets) left[target.file]!++;
  const result: RestoreBlobsResult = { written: 0, problems: [] };
  try {
    for (const blob of job.blobs) {
      const sealed = job.bytes.subarray(blob.offset - job.base, blob.offset - job.base + blob.length);
      const plaintext = decodeBlob(
        keys,
        blob.id,
        { packId: job.packId, rawLength: blob.rawLength, compressed: blob.compressed },
        sealed,
      );
      countDropped(plaintext.length);
      for (const target of blob.targets) {
        const fd = open(target.file);
        nativeFs.writeSparse(fd, plaintext, target.offset);
        result.written += plaintext.length;
        if (--left[target.file]! > 0) continue;
        const finish = job.files[target.file]!.finish;
        if (finish) {
          ftruncateSync(fd, finish.size);
          for (const message of applyToHandle(fd, finish.metadata, job.chown))
            result.problems.push({ file: target.file, message });
        }
        fds.delete(target.file);
        nativeFs.close(fd);
      }
    }
  } finally {
    for (const fd of fds.values()) nativeFs.close(fd);
    folders.close();
    countDropped(job.bytes.length);
  }
  return result;
}

function verifyPack(packId: string, bytes: Buffer): VerifyPackResult {
  if (fileId(bytes) !== packId)
    throw new CairnError('corrupt', 'content does not match its name (SHA-256 mismatch)');
  const blobs = parsePack(bytes, keys.encryption, `pack ${packId}`);
  for (const blob of blobs) {
    countDropped(
      decodeBlob(keys, blob.id, { ...blob, packId }, bytes.subarray(blob.offset, blob.offset + blob.length))
        .length,
    );
  }
  countDropped(bytes.length);
  return { blobs };
}
