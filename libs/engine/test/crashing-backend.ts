import type { Backend, ByteRange, FileInfo, FileType, SaveOptions } from '../src/index.js';

/** Thrown where the simulated power cut happens. */
export class SimulatedCrash extends Error {}

/**
 * Wraps a backend and "loses power" at the n-th change it makes (a save or a remove): that call and
 * every later one fail, as if the process had died there. What is on disk is exactly what a crash at
 * that point leaves, because the local backend's writes are atomic.
 */
export class CrashingBackend implements Backend {
  private changes = 0;

  constructor(
    private readonly inner: Backend,
    private readonly crashAt: number,
  ) {}

  get location(): string {
    return this.inner.location;
  }

  /** How many changes were made before the crash (or in total, when it never came). */
  get changesMade(): number {
    return Math.min(this.changes, this.crashAt - 1);
  }

  private change(): void {
    if (++this.changes >= this.crashAt) throw new SimulatedCrash(`simulated crash at change ${this.crashAt}`);
  }

  async save(type: FileType, name: string, data: Buffer, options?: SaveOptions): Promise<void> {
    this.change();
    return this.inner.save(type, name, data, options);
  }

  async remove(type: FileType, name: string): Promise<void> {
    this.change();
    return this.inner.remove(type, name);
  }

  load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    return this.inner.load(type, name, range);
  }

  stat(type: FileType, name: string): Promise<FileInfo> {
    return this.inner.stat(type, name);
  }

  list(type: FileType): Promise<FileInfo[]> {
    return this.inner.list(type);
  }

  create(): Promise<void> {
    return this.inner.create();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
