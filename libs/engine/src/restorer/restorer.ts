import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { LocalBackend } from '../backends/local.js';
import { CairnError, errnoCode, throwIfAborted } from '../errors.js';
import type { BlobLocation } from '../index/master-index.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import type { SnapshotRecord } from '../snapshot/snapshot.js';
import { loadTree } from '../tree/load.js';
import { nodeNameBytes, type TreeNode } from '../tree/tree.js';
import { mapLimit } from '../util/limiter.js';
import { childPath, displayPath } from '../util/paths.js';
import { groupRanges } from './ranges.js';
import { transferable } from '../workers/pool.js';
import type { RestoreBlob } from '../workers/protocol.js';
import { startWorkers } from '../workers/start.js';

export interface RestoreOptions {
  target: string;
  /** Absolute paths inside the snapshot; only these (and what is below them) are restored. */
  include?: string[];
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
  onWarning?: (warning: { path: string; message: string }) => void;
  progressIntervalMs?: number;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface RestoreProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  currentPath: string;
  elapsedMs: number;
}

export interface RestoreResult {
  files: number;
  dirs: number;
  bytes: number;
  warnings: { path: string; message: string }[];
}

interface PlannedFile {
  path: Buffer;
  node: TreeNode;
  /** Blob writes still to come; the file gets its metadata when this reaches 0. */
  remaining: number;
}

interface BlobTarget {
  file: PlannedFile;
  offset: number;
}

const execFileAsync = promisify(execFile);

export async function restore(
  repo: Repository,
  snapshot: SnapshotRecord,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const target = resolve(options.target);
  if (repo.backend instanceof LocalBackend) {
    const repoPath = repo.backend.location;
    if (target === repoPath || target.startsWith(`${repoPath}/`)) {
      throw new CairnError('usage', `the restore target ${target} is inside the repository ${repoPath}`);
    }
  }
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: false });
  try {
    await repo.loadIndex();
    return await new Restorer(repo, options, target).run(snapshot);
  } finally {
    await lock.release();
  }
}

class Restorer {
  private readonly files: PlannedFile[] = [];
  private readonly dirs: { path: Buffer; node: TreeNode }[] = [];
  private readonly links: { path: Buffer; node: TreeNode; to: Buffer }[] = [];
  private readonly firstLinkPaths = new Map<string, Buffer>();
  private readonly warnings: RestoreResult['warnings'] = [];
  private readonly includes: string[];
  /** Whether anything matched `include` (folders above an included path do not count). */
  private selectedAny = false;
  private readonly isRoot = process.getuid?.() === 0;
  private readonly started = Date.now();
  private progress: RestoreProgress = {
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    currentPath: '',
    elapsedMs: 0,
  };

  constructor(
    private readonly repo: Repository,
    private readonly options: RestoreOptions,
    private readonly target: string,
  ) {
    this.includes = (options.include ?? []).map((path) => `/${path.split('/').filter(Boolean).join('/')}`);
  }

  async run(snapshot: SnapshotRecord): Promise<RestoreResult> {
    await fs.mkdir(this.target, { recursive: true });
    await this.plan(snapshot.tree, Buffer.from(this.target), '');
    if (this.includes.length > 0 && !this.selectedAny) {
      throw new CairnError(
        'not-found',
        `nothing in snapshot ${snapshot.id.slice(0, 8)} matches ${this.includes.join(', ')}`,
      );
    }
    const timer = this.options.onProgress
      ? setInterval(() => this.report(), this.options.progressIntervalMs ?? 500)
      : undefined;
    timer?.unref();
    try {
      await this.writeContent();
      for (const link of this.links) await this.hardLink(link.path, link.to);
      for (const dir of this.dirs.reverse()) await this.applyMetadata(dir.path, dir.node);
    } finally {
      clearInterval(timer);
    }
    this.report();
    return {
      files: this.progress.filesDone,
      dirs: this.dirs.length,
      bytes: this.progress.bytesDone,
      warnings: this.warnings,
    };
  }

  private report(): void {
    this.options.onProgress?.({ ...this.progress, elapsedMs: Date.now() - this.started });
  }

  private selection(path: string): 'all' | 'ancestor' | 'none' {
    if (this.includes.length === 0) return 'all';
    if (this.includes.some((include) => path === include || path.startsWith(`${include}/`))) return 'all';
    if (this.includes.some((include) => include.startsWith(`${path}/`))) return 'ancestor';
    return 'none';
  }

  /** Walks the snapshot: creates folders, symlinks and special files, and lists files to fill. */
  private async plan(treeId: string, dir: Buffer, snapshotPath: string): Promise<void> {
    throwIfAborted(this.options.signal);
    const tree = await loadTree(this.repo, treeId);
    for (const node of tree.nodes) {
      const name = nodeNameBytes(node);
      const path = childPath(dir, name);
      const inner = `${snapshotPath}/${name.toString()}`;
      const selected = this.selection(inner);
      if (selected === 'none') continue;
      if (selected === 'all') this.selectedAny = true;
      if (node.type === 'dir') {
        await fs.mkdir(path, { recursive: true, mode: 0o700 });
        this.dirs.push({ path, node });
        if (node.subtree) await this.plan(node.subtree, path, inner);
      } else if (selected === 'all') {
        await this.planEntry(path, node);
      }
    }
  }

  private async planEntry(path: Buffer, node: TreeNode): Promise<void> {
    await fs.rm(path, { force: true, recursive: false }).catch(() => undefined);
    switch (node.type) {
      case 'file': {
        const linkKey = node.links > 1 ? `${node.device}:${node.inode}` : undefined;
        const first = linkKey !== undefined ? this.firstLinkPaths.get(linkKey) : undefined;
        if (first) {
          this.links.push({ path, node, to: first });
          return;
        }
        if (linkKey !== undefined) this.firstLinkPaths.set(linkKey, path);
        this.files.push({ path, node, remaining: node.content?.length ?? 0 });
        this.progress.filesTotal++;
        this.progress.bytesTotal += node.size ?? 0;
        return;
      }
      case 'symlink': {
        const target =
          node.linkTargetRaw !== undefined
            ? Buffer.from(node.linkTargetRaw, 'base64')
            : Buffer.from(node.linkTarget ?? '');
        await fs.symlink(target, path);
        await this.applyMetadata(path, node);
        return;
      }
      case 'fifo':
        await this.makeSpecial(path, ['mkfifo']);
        await this.applyMetadata(path, node);
        return;
      case 'blockdev':
      case 'chardev':
        if (!this.isRoot) {
          this.warn(path, 'device node not restored (needs root)');
          return;
        }
        await this.makeSpecial(path, ['mknod', ...deviceNumbers(node)]);
        await this.applyMetadata(path, node);
        return;
      default:
        return; // a socket belongs to the process that made it: nothing to restore
    }
  }

  /**
   * mkfifo and mknod take their path as text, which cannot hold every byte a Linux name may have:
   * the node is made under a plain temporary name in the target and renamed into place.
   */
  private async makeSpecial(path: Buffer, [tool, ...args]: string[]): Promise<void> {
    const temp = `${this.target}/.cairn-${randomBytes(8).toString('hex')}`;
    await execFileAsync(tool!, [temp, ...args]);
    await fs.rename(temp, path);
  }

  private warn(path: Buffer, message: string): void {
    const warning = { path: displayPath(path), message };
    this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }

  /**
   * Fetches each needed pack once (bounded parallel downloads, neighbouring blobs in one read), and
   * has workers decrypt, verify and write every blob where it belongs.
   */
  private async writeContent(): Promise<void> {
    const byPack = new Map<string, Map<string, { location: BlobLocation; targets: BlobTarget[] }>>();
    for (const file of this.files) {
      if (file.remaining === 0) {
        await this.finishFile(file);
        continue;
      }
      let offset = 0;
      for (const id of file.node.content!) {
        const location = this.repo.index.get(id);
        if (!location)
          throw new CairnError(
            'corrupt',
            `data of ${displayPath(file.path)} is missing from the repository (blob ${id.slice(0, 16)})`,
          );
        let blobs = byPack.get(location.packId);
        if (!blobs) byPack.set(location.packId, (blobs = new Map()));
        let entry = blobs.get(id);
        if (!entry) blobs.set(id, (entry = { location, targets: [] }));
        entry.targets.push({ file, offset });
        offset += location.rawLength;
      }
    }
    const workers = startWorkers(this.repo, 0);
    try {
      await mapLimit([...byPack], this.repo.options.connections, async ([packId, blobs]) => {
        const requests = [...blobs].map(([id, { location, targets }]) => ({
          offset: location.offset,
          length: location.length,
          item: { id, location, targets },
        }));
        for (const group of groupRanges(requests)) {
          throwIfAborted(this.options.signal);
          const bytes = await this.repo.backend.load('pack', packId, {
            offset: group.offset,
            length: group.length,
          });
          const { view, transfer } = transferable(bytes);
          const jobBlobs: RestoreBlob[] = group.requests.map(({ item: { id, location, targets } }) => ({
            id,
            offset: location.offset,
            length: location.length,
            rawLength: location.rawLength,
            compressed: location.compressed,
            targets: targets.map((target) => ({ path: target.file.path, offset: target.offset })),
          }));
          this.progress.bytesDone += await workers.pool.run<number>(
            { kind: 'restore-blobs', packId, bytes: view, base: group.offset, blobs: jobBlobs },
            view.length,
            transfer,
          );
          for (const { item } of group.requests) {
            for (const target of item.targets) {
              this.progress.currentPath = displayPath(target.file.path);
              if (--target.file.remaining === 0) await this.finishFile(target.file);
            }
          }
        }
      });
    } finally {
      await workers.pool.close();
    }
  }

  /** Cuts whatever an older file at the path had beyond the restored size, then sets metadata. */
  private async finishFile(file: PlannedFile): Promise<void> {
    const size = file.node.size ?? 0;
    if (file.remaining === 0 && (file.node.content?.length ?? 0) === 0)
      await fs.writeFile(file.path, '', { mode: 0o600 });
    await fs.truncate(file.path, size);
    await this.applyMetadata(file.path, file.node);
    this.progress.filesDone++;
  }

  private async hardLink(path: Buffer, to: Buffer): Promise<void> {
    try {
      await fs.link(to, path);
    } catch (error) {
      this.warn(path, `cannot create hard link: ${errnoCode(error) ?? error}`);
    }
  }

  private async applyMetadata(path: Buffer, node: TreeNode): Promise<void> {
    const symlink = node.type === 'symlink';
    try {
      if (this.isRoot) await fs.lchown(path, node.uid, node.gid);
      if (!symlink) await fs.chmod(path, node.mode);
      const mtime = Number(BigInt(node.mtime) / 1000n) / 1e6;
      await (symlink ? fs.lutimes(path, mtime, mtime) : fs.utimes(path, mtime, mtime));
    } catch (error) {
      this.warn(path, `cannot restore metadata: ${errnoCode(error) ?? error}`);
    }
  }
}

/** mknod's arguments after the path: the kind and Linux's major and minor numbers of `rdev`. */
function deviceNumbers(node: TreeNode): string[] {
  const rdev = BigInt(node.rdev ?? '0');
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return [node.type === 'blockdev' ? 'b' : 'c', String(major), String(minor)];
}
