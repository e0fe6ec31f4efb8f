import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend, ByteRange, FileInfo, FileType, SaveOptions } from './backend.js';

/** Bandwidth caps in KiB/s (1024 bytes a second), as restic's --limit-upload/--limit-download; absent = no cap. */
export interface BandwidthLimits {
  uploadKiBps?: number;
  downloadKiBps?: number;
}

/** Aborting the signal ends pacing: a cancelled run never sits out its bandwidth budget. */
export interface PacingOptions {
  signal?: AbortSignal;
}

/**
 * One direction's line at a fixed rate: each transfer books the time its bytes take at that rate,
 * after the bookings before it, and is not done until its booking ends. Parallel transfers therefore
 * share the rate, and a transfer slower than the rate on its own (a slow network) waits no extra.
 */
class Pacer {
  /** When the line is free again (performance.now() ms). */
  private freeAt = 0;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Waits until the transfers booked so far would be done, so a new one does not jump the queue. */
  turn(): Promise<void> {
    return this.waitUntilFree();
  }

  /** Books `bytes` from `startedAt` (or after the last booking) and waits for the booking to end. */
  spent(startedAt: number, bytes: number): Promise<void> {
    this.freeAt = Math.max(startedAt, this.freeAt) + (bytes / this.bytesPerSecond) * 1000;
    return this.waitUntilFree();
  }

  private async waitUntilFree(): Promise<void> {
    const wait = this.freeAt - performance.now();
    if (wait <= 0 || this.signal?.aborted) return;
    // Once the run is cancelled nothing is paced: its last transfers and clean-up end at once.
    await sleep(wait, undefined, this.signal ? { signal: this.signal } : {}).catch(() => undefined);
  }
}

/**
 * Paces the bytes a backend saves and loads, whichever the backend (folder, SFTP, S3). Files are whole
 * buffers, so the cap holds on average over files rather than within one: a pack goes at line speed,
 * and the next waits until the rate has paid for it. Metadata calls (stat, list, remove) are not paced.
 */
export class ThrottledBackend implements Backend {
  private readonly upload?: Pacer;
  private readonly download?: Pacer;

  constructor(
    private readonly inner: Backend,
    limits: BandwidthLimits,
    { signal }: PacingOptions = {},
  ) {
    if (limits.uploadKiBps) this.upload = new Pacer(limits.uploadKiBps * 1024, signal);
    if (limits.downloadKiBps) this.download = new Pacer(limits.downloadKiBps * 1024, signal);
  }

  get location(): string {
    return this.inner.location;
  }

  get localFolder(): string | undefined {
    return this.inner.localFolder;
  }

  async save(type: FileType, name: string, data: Buffer, options?: SaveOptions): Promise<void> {
    await paced(
      this.upload,
      () => this.inner.save(type, name, data, options),
      () => data.length,
    );
  }

  load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    return paced(
      this.download,
      () => this.inner.load(type, name, range),
      (data) => data.length,
    );
  }

  stat(type: FileType, name: string): Promise<FileInfo> {
    return this.inner.stat(type, name);
  }

  list(type: FileType): Promise<FileInfo[]> {
    return this.inner.list(type);
  }

  remove(type: FileType, name: string): Promise<void> {
    return this.inner.remove(type, name);
  }

  create(): Promise<void> {
    return this.inner.create();
  }

  async removeEmptyLayout(): Promise<void> {
    await this.inner.removeEmptyLayout?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

async function paced<T>(
  pacer: Pacer | undefined,
  transfer: () => Promise<T>,
  bytesOf: (result: T) => number,
): Promise<T> {
  if (!pacer) return transfer();
  await pacer.turn();
  const startedAt = performance.now();
  const result = await transfer();
  await pacer.spent(startedAt, bytesOf(result));
  return result;
}

/** The backend with the limits applied; itself when there are none. */
export function throttled(
  backend: Backend,
  limits: BandwidthLimits | undefined,
  options: PacingOptions = {},
): Backend {
  if (!limits?.uploadKiBps && !limits?.downloadKiBps) return backend;
  return new ThrottledBackend(backend, limits, options);
}
