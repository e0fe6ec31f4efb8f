import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { CairnError } from '../errors.js';
import {
  FILE_TYPES,
  filePath,
  folderOf,
  type Backend,
  type ByteRange,
  type FileInfo,
  type FileType,
  type SaveOptions,
} from './backend.js';
import { HostKeyPolicy } from './host-key.js';
import { DEFAULT_CONNECTIONS, DEFAULT_TIMEOUT_MS, type BackendOptions } from './options.js';
import { retry, retryPolicy, type RetryPolicy } from './retry.js';
import { sftpLogin } from './sftp-auth.js';
import { sftpFailure } from './sftp-errors.js';
import { SftpPool } from './sftp-pool.js';
import { isMissing, SftpSession } from './sftp-session.js';
import type { SftpLocation } from './url.js';

const TEMP_PREFIX = '.tmp-';
const FANOUT = Array.from({ length: 256 }, (_, i) => `data/${i.toString(16).padStart(2, '0')}`);

/**
 * A repository in a folder on an SSH server. Files are written under a temporary name and renamed,
 * so a cut connection never leaves half a file under a real name; the same layout as a local folder,
 * so a repository can be copied between the two with rsync.
 */
export class SftpBackend implements Backend {
  readonly location: string;
  private readonly pool: SftpPool;
  private readonly policy: RetryPolicy;
  /** The folders create() made (parents first), which removeEmptyLayout() takes away again. */
  private made: string[] = [];

  constructor(
    private readonly where: SftpLocation,
    private readonly options: BackendOptions = {},
  ) {
    this.location = where.display;
    this.policy = retryPolicy(options.retry);
    const env = options.env ?? process.env;
    const login = sftpLogin(where.user, env);
    const hostKeys = new HostKeyPolicy(
      where.hostname,
      where.port,
      options.sftp?.hostKey ?? env.CAIRN_SFTP_HOST_KEY,
      options.sftp?.knownHostsFiles,
    );
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pool = new SftpPool(
      () => SftpSession.connect({ where, login, hostKeys, timeoutMs }),
      options.connections ?? DEFAULT_CONNECTIONS,
    );
  }

  async create(): Promise<void> {
    const folders = [...FILE_TYPES.map(folderOf), ...FANOUT].map((folder) =>
      posix.join(this.where.path, folder),
    );
    await this.call('create the repository folders', async (session) => {
      await makeDirs(session, this.where.path, this.made);
      const made = await Promise.all(folders.map((folder) => makeDir(session, folder)));
      this.made.push(...folders.filter((_, i) => made[i]));
    });
  }

  async removeEmptyLayout(): Promise<void> {
    const made = this.made.toReversed();
    this.made = [];
    if (made.length === 0) return;
    // Servers refuse to remove a folder that holds anything: what holds a file stays, with its parents.
    await this.call('remove the empty repository folders', async (session) => {
      for (const folder of made) await session.rmdir(folder).catch(() => undefined);
    });
  }

  async save(type: FileType, name: string, data: Buffer, options: SaveOptions = {}): Promise<void> {
    const target = this.path(type, name);
    await this.call(`write ${filePath(type, name)}`, async (session) => {
      const temp = posix.join(posix.dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
      try {
        const handle = await session.open(temp, 'w').catch(async (error: unknown) => {
          if (!isMissing(error)) throw error;
          await makeDirs(session, posix.dirname(target));
          return session.open(temp, 'w');
        });
        try {
          await session.writeAll(handle, data);
          await session.fsync(handle);
        } finally {
          if (!session.broken) await session.close(handle);
        }
        if (options.ifAbsent) await publishIfAbsent(session, temp, target, data);
        else await session.rename(temp, target);
      } catch (error) {
        if (!session.broken) await session.unlink(temp).catch(() => undefined);
        throw error;
      }
    });
  }

  async load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    const what = filePath(type, name);
    return this.call(`read ${what}`, (session) => readFile(session, this.path(type, name), what, range));
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    const stats = await this.call(`stat ${filePath(type, name)}`, (session) =>
      session.stat(this.path(type, name)),
    );
    return { name, size: stats.size };
  }

  async list(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') return [await this.stat('config', 'config')];
    const root = posix.join(this.where.path, folderOf(type));
    return this.call(`list ${folderOf(type)}`, async (session) => {
      const folders =
        type === 'pack' ? (await listDir(session, root)).filter((entry) => entry.isDirectory) : [];
      const dirs = type === 'pack' ? folders.map((folder) => posix.join(root, folder.name)) : [root];
      const listings = await Promise.all(dirs.map((dir) => listDir(session, dir)));
      return listings
        .flat()
        .filter((entry) => !entry.isDirectory && !entry.name.startsWith(TEMP_PREFIX))
        .map(({ name, size }) => ({ name, size }));
    });
  }

  async remove(type: FileType, name: string): Promise<void> {
    await this.call(`remove ${filePath(type, name)}`, (session) =>
      session.unlink(this.path(type, name)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      }),
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** One operation on a pooled session with the retry policy; errors come out as CairnErrors. */
  private call<T>(operation: string, work: (session: SftpSession) => Promise<T>): Promise<T> {
    return retry(
      operation,
      this.policy,
      () =>
        this.pool.use(async (session) => {
          try {
            return await work(session);
          } catch (error) {
            throw sftpFailure(error, operation, this.location);
          }
        }),
      this.options.onRetry,
    );
  }

  private path(type: FileType, name: string): string {
    return posix.join(this.where.path, filePath(type, name));
  }
}

/**
 * Links the written temp file to `target` unless a file has that name. A file there with our very
 * bytes is our own from an attempt whose answer was lost (the retry comes back here), so it counts as
 * created; any other file means another writer was first.
 */
async function publishIfAbsent(session: SftpSession, temp: string, target: string, data: Buffer) {
  try {
    await session.linkIfAbsent(temp, target);
  } catch (error) {
    if (session.broken || !(await session.stat(target).catch(() => undefined))) throw error;
    if (!(await readFile(session, target, target)).equals(data)) {
      throw new CairnError('already-exists', `${target} already exists`);
    }
  }
  await session.unlink(temp);
}

async function readFile(session: SftpSession, path: string, what: string, range?: ByteRange) {
  const handle = await session.open(path, 'r');
  try {
    if (range) {
      const bytes = await session.readAt(handle, range.offset, range.length);
      if (bytes.length !== range.length)
        throw new CairnError('corrupt', `${what}: file is shorter than expected`);
      return bytes;
    }
    const size = await session.size(handle);
    const bytes = await session.readAt(handle, 0, size);
    if (bytes.length !== size)
      throw new CairnError('backend', `read ${what}: the file shrank while being read`);
    return bytes;
  } finally {
    if (!session.broken) await session.close(handle);
  }
}

interface DirEntry {
  name: string;
  size: number;
  isDirectory: boolean;
}

async function listDir(session: SftpSession, dir: string): Promise<DirEntry[]> {
  try {
    const entries = await session.readdir(dir);
    return entries.map((entry) => ({
      name: entry.filename,
      size: entry.attrs.size,
      isDirectory: entry.attrs.isDirectory(),
    }));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * mkdir that accepts an existing folder (SFTP servers report that only as a generic failure); true
 * when it made the folder.
 */
async function makeDir(session: SftpSession, dir: string): Promise<boolean> {
  try {
    await session.mkdir(dir);
    return true;
  } catch (error) {
    const existing = await session.stat(dir).catch(() => undefined);
    if (!existing?.isDirectory) throw error;
    return false;
  }
}

/** mkdir -p, noting in `made` each folder it makes, parents first. */
async function makeDirs(session: SftpSession, dir: string, made: string[] = []): Promise<void> {
  const parts = dir.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (prefix === '' || prefix === '.' || prefix === '~') continue;
    if (await makeDir(session, prefix)) made.push(prefix);
  }
}
