import { connect as connectTcp, type Socket } from 'node:net';
import ssh2, { type ConnectConfig, type FileEntryWithStats, type SFTPWrapper } from 'ssh2';
import { CairnError } from '../errors.js';
import type { HostKeyPolicy } from './host-key.js';
import type { SftpLogin } from './sftp-auth.js';
import { sftpFailure, SFTP_STATUS, sftpStatus } from './sftp-errors.js';
import { withTimeout } from './timeout.js';
import type { SftpLocation } from './url.js';

/** Requests in flight per transfer (4 MiB): measured fastest against OpenSSH on loopback. */
const PIPELINE = 32;
/** Below OpenSSH's 256 KiB request limit, so ssh2 never splits a request into serial pieces. */
const CHUNK = 128 * 1024;

export interface SessionSettings {
  where: SftpLocation;
  login: SftpLogin;
  hostKeys: HostKeyPolicy;
  timeoutMs: number;
}

type Callback<T> = (error: Error | null | undefined, value: T) => void;

/**
 * One SSH connection with one SFTP channel, its calls as promises. Every request has a timeout; a
 * timeout or a connection error marks the session broken, so the pool replaces it instead of reusing a
 * connection that hangs.
 */
export class SftpSession {
  broken = false;
  private fsyncSupported = true;

  private constructor(
    private readonly client: ssh2.Client,
    private readonly sftp: SFTPWrapper,
    private readonly timeoutMs: number,
  ) {
    const breakDown = () => (this.broken = true);
    client.on('error', breakDown).on('close', breakDown).on('end', breakDown);
    sftp.on('error', breakDown).on('close', breakDown);
  }

  static async connect(settings: SessionSettings): Promise<SftpSession> {
    const { where, login, hostKeys, timeoutMs } = settings;
    const client = new ssh2.Client();
    let refusal: CairnError | undefined;
    const algorithms = hostKeys.algorithms();
    const place = `${where.user}@${where.hostname}:${where.port}`;
    const sock = await openSocket(where, timeoutMs).catch((error: unknown) => {
      throw sftpFailure(error, `connect to ${place}`, where.display);
    });
    const config: ConnectConfig = {
      sock,
      username: where.user,
      authHandler: login.methods,
      hostVerifier: (key: Buffer) => {
        refusal = hostKeys.refusal(key);
        return refusal === undefined;
      },
      readyTimeout: timeoutMs,
      keepaliveInterval: Math.max(1000, Math.round(timeoutMs / 3)),
      keepaliveCountMax: 3,
      ...(algorithms ? { algorithms: { serverHostKey: algorithms as never } } : {}),
    };
    try {
      await new Promise<void>((resolve, reject) => {
        client
          .once('ready', resolve)
          .once('error', reject)
          .once('close', () => reject(new Error('Not connected')));
        client.connect(config);
      });
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))),
      );
      client.removeAllListeners('error').removeAllListeners('close');
      // An error event without a listener would crash the process; the session notes it instead.
      client.on('error', () => undefined);
      return new SftpSession(client, sftp, timeoutMs);
    } catch (error) {
      client.on('error', () => undefined);
      client.destroy();
      if (refusal !== undefined) throw refusal;
      if ((error as { level?: unknown }).level === 'client-authentication') {
        throw new CairnError('backend', `${place} refused the login (offered: ${login.offered.join(', ')})`, {
          detail: { reason: 'login-refused', user: where.user, host: where.hostname, port: where.port },
        });
      }
      if ((error as { level?: unknown }).level === 'client-dns') {
        throw new CairnError('backend', `cannot connect to ${place}: host not found`);
      }
      throw sftpFailure(error, `connect to ${place}`, where.display);
    }
  }

  end(): void {
    this.broken = true;
    this.client.end();
  }

  destroy(): void {
    this.broken = true;
    this.client.destroy();
  }

  open(path: string, flags: 'r' | 'w'): Promise<Buffer> {
    return this.request(`open ${path}`, (done: Callback<Buffer>) =>
      this.sftp.open(path, flags, { mode: 0o600 }, done),
    );
  }

  close(handle: Buffer): Promise<void> {
    return this.request('close', (done: Callback<void>) =>
      this.sftp.close(handle, (error) => done(error, undefined)),
    );
  }

  async size(handle: Buffer): Promise<number> {
    const stats = await this.request('stat', (done: Callback<{ size: number }>) =>
      this.sftp.fstat(handle, done),
    );
    return stats.size;
  }

  async stat(path: string): Promise<{ size: number; isDirectory: boolean }> {
    const stats = await this.request(`stat ${path}`, (done: Callback<ssh2.Stats>) =>
      this.sftp.stat(path, done),
    );
    return { size: stats.size, isDirectory: stats.isDirectory() };
  }

  readdir(path: string): Promise<FileEntryWithStats[]> {
    return this.request(`list ${path}`, (done: Callback<FileEntryWithStats[]>) =>
      this.sftp.readdir(path, done),
    );
  }

  mkdir(path: string): Promise<void> {
    return this.request(`create ${path}`, (done: Callback<void>) =>
      this.sftp.mkdir(path, { mode: 0o700 }, (error) => done(error, undefined)),
    );
  }

  /** Removes a folder; servers refuse a folder that holds anything. */
  rmdir(path: string): Promise<void> {
    return this.request(`remove ${path}`, (done: Callback<void>) =>
      this.sftp.rmdir(path, (error) => done(error, undefined)),
    );
  }

  unlink(path: string): Promise<void> {
    return this.request(`remove ${path}`, (done: Callback<void>) =>
      this.sftp.unlink(path, (error) => done(error, undefined)),
    );
  }

  /** Replaces `to` atomically where the server can (OpenSSH's posix-rename), else plain rename. */
  rename(from: string, to: string): Promise<void> {
    return this.request(`rename to ${to}`, (done: Callback<void>) => {
      const finish = (error?: Error | null) => done(error, undefined);
      try {
        this.sftp.ext_openssh_rename(from, to, finish);
      } catch {
        this.sftp.rename(from, to, finish);
      }
    });
  }

  /**
   * Gives `from` the second name `to`, failing when `to` exists: OpenSSH's hardlink extension, else
   * the protocol's own rename, which (unlike posix-rename) must not replace an existing file.
   */
  linkIfAbsent(from: string, to: string): Promise<void> {
    return this.request(`create ${to}`, (done: Callback<void>) => {
      const finish = (error?: Error | null) => done(error, undefined);
      try {
        this.sftp.ext_openssh_hardlink(from, to, finish);
      } catch {
        this.sftp.rename(from, to, finish);
      }
    });
  }

  /** Makes the bytes durable before the rename publishes them, where the server offers fsync. */
  async fsync(handle: Buffer): Promise<void> {
    if (!this.fsyncSupported) return;
    await this.request('fsync', (done: Callback<void>) => {
      try {
        this.sftp.ext_openssh_fsync(handle, (error) => done(error, undefined));
      } catch {
        this.fsyncSupported = false;
        done(undefined, undefined);
      }
    });
  }

  /** Writes all of `data` at offset 0 with up to PIPELINE requests in flight. */
  async writeAll(handle: Buffer, data: Buffer): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < data.length) {
        const offset = next;
        const length = Math.min(CHUNK, data.length - offset);
        next += length;
        await this.request('write', (done: Callback<void>) =>
          this.sftp.write(handle, data, offset, length, offset, (error) => done(error, undefined)),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE, Math.ceil(data.length / CHUNK)) }, worker));
  }

  /** Reads `length` bytes from `position` (fewer only at the end of the file) with pipelined requests. */
  async readAt(handle: Buffer, position: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let next = 0;
    let end = length;
    const worker = async () => {
      while (next < end) {
        const offset = next;
        const wanted = Math.min(CHUNK, end - offset);
        next += wanted;
        const got = await this.readFully(handle, out, offset, wanted, position + offset);
        if (got < wanted) end = Math.min(end, offset + got);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE, Math.ceil(length / CHUNK)) }, worker));
    return end === length ? out : out.subarray(0, end);
  }

  /** Servers may answer a read with fewer bytes than asked; ask again until done or at the end. */
  private async readFully(
    handle: Buffer,
    out: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    let done = 0;
    while (done < length) {
      const got = await this.request('read', (cb: Callback<number>) =>
        // ssh2 turns the end of the file into a read of 0 bytes.
        this.sftp.read(handle, out, offset + done, length - done, position + done, (error, bytes) =>
          cb(error, bytes),
        ),
      );
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  private request<T>(what: string, start: (done: Callback<T>) => void): Promise<T> {
    const work = new Promise<T>((resolve, reject) => {
      start((error, value) => (error ? reject(error) : resolve(value)));
    });
    return withTimeout(work, this.timeoutMs, what, () => this.destroy());
  }
}

/**
 * The TCP connection, with Nagle's algorithm off: SFTP is request/response, and Nagle plus delayed
 * ACKs would hold every small request back by 40 ms.
 */
function openSocket(where: SftpLocation, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: where.hostname, port: where.port, noDelay: true, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(
        Object.assign(new Error(`no connection within ${Math.round(timeoutMs / 1000)} s`), {
          code: 'ETIMEDOUT',
        }),
      );
    });
    socket.once('error', reject);
  });
}

export function isMissing(error: unknown): boolean {
  return sftpStatus(error) === SFTP_STATUS.noSuchFile;
}
