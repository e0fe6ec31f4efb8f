import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { CairnError, errnoCode } from '../errors.js';
import {
  filePath,
  folderOf,
  type Backend,
  type ByteRange,
  type FileInfo,
  type FileType,
  type SaveOptions,
} from './backend.js';

const TEMP_PREFIX = '.tmp-';
/** The folders of a repository, the data fan-out last (DESIGN §3). */
const LAYOUT = [
  'keys',
  'index',
  'snapshots',
  'locks',
  ...Array.from({ length: 256 }, (_, i) => join('data', i.toString(16).padStart(2, '0'))),
];

/** Why mkdir failed, in words (ENOENT with its parent there: a file system that takes no new folders). */
const MKDIR_REASONS: Record<string, string> = {
  ENOENT: 'this file system does not take new folders',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file of that name is in the way',
  ENOTDIR: 'a file is in the way',
  ENOSPC: 'disk full',
};

/**
 * A repository in a local folder: writes go to a temp file, are fsynced, then renamed into place, or,
 * for a create-if-absent save, hard-linked into place (link(2) fails when the name exists, where rename
 * would replace it).
 */
export class LocalBackend implements Backend {
  constructor(readonly location: string) {}

  get localFolder(): string {
    return this.location;
  }

  /** The folders create() made (parents first), which removeEmptyLayout() takes away again. */
  private made: string[] = [];

  async create(): Promise<void> {
    await this.makeFolder(this.location);
    for (const folder of LAYOUT) await this.makeFolder(join(this.location, folder));
  }

  async removeEmptyLayout(): Promise<void> {
    // rmdir removes only empty folders: whatever holds a file stays, and so does every folder above it.
    for (const folder of this.made.toReversed()) await fs.rmdir(folder).catch(() => undefined);
    this.made = [];
  }

  /**
   * mkdir -p, one level at a time, noting each folder it makes. Node's recursive mkdir never returns
   * where a parent refuses new folders with ENOENT (anywhere under /proc); this fails there instead.
   */
  private async makeFolder(folder: string): Promise<void> {
    const missing: string[] = [];
    for (let dir = folder; !(await isFolder(dir)); dir = dirname(dir)) {
      if (dirname(dir) === dir) break;
      missing.unshift(dir);
    }
    for (const dir of missing) {
      try {
        await fs.mkdir(dir, { mode: 0o700 });
        this.made.push(dir);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST' && (await isFolder(dir))) continue;
        const reason = (code && MKDIR_REASONS[code]) ?? String(error);
        throw new CairnError('backend', `cannot create the folder ${dir}: ${reason}`, { cause: error });
      }
    }
  }

  async save(type: FileType, name: string, data: Buffer, options: SaveOptions = {}): Promise<void> {
    const target = join(this.location, filePath(type, name));
    const temp = join(dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (options.ifAbsent) {
        await fs.link(temp, target);
        await fs.rm(temp);
        await syncFolder(dirname(target));
      } else {
        await fs.rename(temp, target);
      }
    } catch (error) {
      await fs.rm(temp, { force: true });
      if (errnoCode(error) === 'EEXIST') {
        throw new CairnError('already-exists', `${filePath(type, name)} already exists in ${this.location}`);
      }
      throw this.failure(error, `cannot write ${filePath(type, name)}`);
    }
  }

  async load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    const path = join(this.location, filePath(type, name));
    try {
      if (!range) return await fs.readFile(path);
      const handle = await fs.open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(range.length);
        const { bytesRead } = await handle.read(buffer, 0, range.length, range.offset);
        if (bytesRead !== range.length) {
          throw new CairnError('corrupt', `${filePath(type, name)}: file is shorter than expected`);
        }
        return buffer;
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.failure(error, `cannot read ${filePath(type, name)}`);
    }
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    try {
      const stats = await fs.stat(join(this.location, filePath(type, name)));
      return { name, size: stats.size };
    } catch (error) {
      throw this.failure(error, `cannot stat ${filePath(type, name)}`);
    }
  }

  async list(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') return [await this.stat('config', 'config')];
    const root = join(this.location, folderOf(type));
    const folders = type === 'pack' ? await this.readdir(root) : [''];
    const found: FileInfo[] = [];
    for (const folder of folders) {
      const dir = join(root, folder);
      for (const name of await this.readdir(dir)) {
        if (name.startsWith(TEMP_PREFIX)) continue;
        const stats = await fs.stat(join(dir, name)).catch(() => undefined);
        if (stats?.isFile()) found.push({ name, size: stats.size });
      }
    }
    return found;
  }

  async remove(type: FileType, name: string): Promise<void> {
    try {
      await fs.unlink(join(this.location, filePath(type, name)));
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw this.failure(error, `cannot remove ${filePath(type, name)}`);
    }
  }

  async close(): Promise<void> {}

  private async readdir(dir: string): Promise<string[]> {
    try {
      return await fs.readdir(dir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw this.failure(error, `cannot list ${dir}`);
    }
  }

  private failure(error: unknown, action: string): CairnError {
    if (error instanceof CairnError) return error;
    const code = errnoCode(error);
    if (code === 'ENOENT') return new CairnError('not-found', `${action}: no such file in ${this.location}`);
    const reason = code === 'ENOSPC' ? 'disk full' : code === 'EACCES' ? 'permission denied' : String(error);
    return new CairnError('backend', `${action} in ${this.location}: ${reason}`, { cause: error });
  }
}

/** Makes a new name in `dir` durable: the file's own fsync does not cover its directory entry. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function isFolder(path: string): Promise<boolean> {
  return fs.stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}
