import type { Backend, ByteRange, FileInfo, FileType, SaveOptions } from './backend.js';

/**
 * A backend whose code loads on first use: importing the S3 SDK and ssh2 takes a quarter of a
 * second or more, which a command on a local repository should never pay.
 */
export class LazyBackend implements Backend {
  private backend?: Promise<Backend>;

  constructor(
    readonly location: string,
    private readonly open: () => Promise<Backend>,
  ) {}

  /** The real backend (loading it if needed). */
  resolve(): Promise<Backend> {
    return (this.backend ??= this.open());
  }

  async save(type: FileType, name: string, data: Buffer, options?: SaveOptions): Promise<void> {
    return (await this.resolve()).save(type, name, data, options);
  }

  async load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    return (await this.resolve()).load(type, name, range);
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    return (await this.resolve()).stat(type, name);
  }

  async list(type: FileType): Promise<FileInfo[]> {
    return (await this.resolve()).list(type);
  }

  async remove(type: FileType, name: string): Promise<void> {
    return (await this.resolve()).remove(type, name);
  }

  async create(): Promise<void> {
    return (await this.resolve()).create();
  }

  async removeEmptyLayout(): Promise<void> {
    await (await this.resolve()).removeEmptyLayout?.();
  }

  async close(): Promise<void> {
    if (this.backend) await (await this.backend).close();
  }
}
