import { closeSync, constants, ftruncateSync, promises as fs, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { CairnError, errnoCode, throwIfAborted } from '../errors.js';
import type { BlobLocation } from '../index/master-index.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import type { SnapshotRecord } from '../snapshot/snapshot.js';
import { loadTree } from '../tree/load.js';
import { nativeFs } from '../native/native-fs.js';
import { nodeNameBytes, type TreeNode } from '../tree/tree.js';
import { mapLimit } from '../util/limiter.js';
import { displayPath } from '../util/paths.js';
import { FolderHandles, relativeChild } from './folder-handles.js';
import { applyAt, applyToHandle, entryMetadata } from './metadata.js';
import { enterFolder, makeRoom } from './place.js';
import { groupRanges } from './ranges.js';
import { transferable } from '../workers/pool.js';
import type { RestoreBlob, RestoreBlobsResult, RestoreFile } from '../workers/protocol.js';
import { startWorkers } from '../workers/start.js';

export interface RestoreOptions {
  target: string;
  /** Absolute paths inside the snapshot; only these (and what is below them) are restored. */
  include?: string[];
  /** Recreate block and character devices (as root); without it they are skipped with a warning. */
  devices?: boolean;
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

/** An entry's place: its folder relative to the target ("" for the target itself), and its name. */
interface Place {
  dir: Buffer;
  name: Buffer;
}

interface PlannedFile extends Place {
  node: TreeNode;
  /** Blob writes not yet done; the file gets its size and metadata after the last. */
  remaining: number;
}

interface BlobTarget {
  file: PlannedFile;
  offset: number;
}

const FILE_FLAGS = constants.O_WRONLY | constants.O_NOFOLLOW;

export async function restore(
  repo: Repository,
  snapshot: SnapshotRecord,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const target = resolve(options.target);
  const repoPath = repo.backend.localFolder;
  if (repoPath !== undefined) {
    if (target === repoPath || target.startsWith(`${repoPath}/`)) {
      throw new CairnError('usage', `the restore target ${target} is inside the repository ${repoPath}`);
    }
  }
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: false });
  try {
    await repo.loadIndex();
    // The target itself is the caller's choice and may be a symlink; nothing below it is followed.
    await fs.mkdir(target, { recursive: true });
    const root = openSync(target, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      return await new Restorer(repo, options, target, root).run(snapshot);
    } finally {
      closeSync(root);
    }
  } finally {
    await lock.release();
  }
}

/**
 * Every entry below the target is created and opened relative to its folder's handle, never through
 * a symlink, and gets its metadata through a handle too: a symlink left in the target, or swapped in
 * while the restore runs, cannot redirect a write or a chmod outside it.
 */
class Restorer {
  private readonly files: PlannedFile[] = [];
  private readonly dirs: { path: Buffer; node: TreeNode }[] = [];
  private readonly links: (Place & { to: Place })[] = [];
  private readonly firstLinks = new Map<string, Place>();
  private readonly warnings: RestoreResult['warnings'] = [];
  private readonly includes: string[];
  /** Whether anything matched `include` (folders above an included path do not count). */
  private selectedAny = false;
  private readonly isRoot = process.getuid?.() === 0;
  private readonly started = Date.now();
  private readonly folders: FolderHandles;
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
    private readonly root: number,
  ) {
    this.includes = (options.include ?? []).map((path) => `/${path.split('/').filter(Boolean).join('/')}`);
    this.folders = new FolderHandles(root);
  }

  async run(snapshot: SnapshotRecord): Promise<RestoreResult> {
    try {
      await this.plan(snapshot.tree, this.root, Buffer.alloc(0), '');
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
        for (const link of this.links) this.hardLink(link);
        this.folderMetadata();
      } finally {
        clearInterval(timer);
      }
    } finally {
      this.folders.close();
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

  /**
   * Walks the snapshot: creates folders, symlinks, special and empty files, and lists files to fill.
   * `dirFd` is the open handle of the folder `dir` (relative to the target) the tree goes into.
   */
  private async plan(treeId: string, dirFd: number, dir: Buffer, snapshotPath: string): Promise<void> {
    throwIfAborted(this.options.signal);
    const tree = await loadTree(this.repo, treeId);
    for (const node of tree.nodes) {
      const name = nodeNameBytes(node);
      const inner = `${snapshotPath}/${name.toString()}`;
      const selected = this.selection(inner);
      if (selected === 'none') continue;
      if (selected === 'all') this.selectedAny = true;
      if (node.type === 'dir') {
        const path = relativeChild(dir, name);
        const fd = enterFolder(dirFd, name);
        try {
          this.dirs.push({ path, node });
          if (node.subtree) await this.plan(node.subtree, fd, path, inner);
        } finally {
          nativeFs.close(fd);
        }
      } else if (selected === 'all') {
        this.planEntry(dirFd, { dir, name }, node);
      }
    }
  }

  private planEntry(dirFd: number, place: Place, node: TreeNode): void {
    const { name } = place;
    if (node.type === 'socket') return; // a socket belongs to the process that made it
    if (node.type === 'blockdev' || node.type === 'chardev') {
      if (!this.options.devices)
        return this.warn(place, 'device node not restored: recreating devices must be asked for (--devices)');
      if (!this.isRoot) return this.warn(place, 'device node not restored (needs root)');
    }
    if (!makeRoom(dirFd, name))
      return this.warn(place, `not restored: a folder with content is in the way of this ${node.type}`);
    const metadata = entryMetadata(node);
    switch (node.type) {
      case 'file': {
        const linkKey = node.links > 1 ? `${node.device}:${node.inode}` : undefined;
        const first = linkKey !== undefined ? this.firstLinks.get(linkKey) : undefined;
        if (first) {
          this.links.push({ ...place, to: first });
          return;
        }
        if (linkKey !== undefined) this.firstLinks.set(linkKey, place);
        this.progress.filesTotal++;
        this.progress.bytesTotal += node.size ?? 0;
        const remaining = node.content?.length ?? 0;
        if (remaining > 0) {
          this.files.push({ ...place, node, remaining });
          return;
        }
        const fd = nativeFs.openat(dirFd, name, FILE_FLAGS | constants.O_CREAT | constants.O_EXCL, 0o600);
        try {
          ftruncateSync(fd, node.size ?? 0);
          this.problems(place, applyToHandle(fd, metadata, this.isRoot));
        } finally {
          nativeFs.close(fd);
        }
        this.progress.filesDone++;
        return;
      }
      case 'symlink':
        nativeFs.symlinkat(
          node.linkTargetRaw !== undefined
            ? Buffer.from(node.linkTargetRaw, 'base64')
            : Buffer.from(node.linkTarget ?? ''),
          dirFd,
          name,
        );
        return this.problems(place, applyAt(dirFd, name, metadata, this.isRoot, true));
      case 'fifo':
        nativeFs.mknodat(dirFd, name, constants.S_IFIFO | 0o600, 0n);
        return this.problems(place, applyAt(dirFd, name, metadata, this.isRoot, false));
      case 'blockdev':
      case 'chardev':
        nativeFs.mknodat(
          dirFd,
          name,
          (node.type === 'blockdev' ? constants.S_IFBLK : constants.S_IFCHR) | 0o600,
          BigInt(node.rdev ?? '0'),
        );
        return this.problems(place, applyAt(dirFd, name, metadata, this.isRoot, false));
    }
  }

  /** A folder's place has an empty name. */
  private display({ dir, name }: Place): string {
    const relative = name.length > 0 ? relativeChild(dir, name) : dir;
    return displayPath(Buffer.concat([Buffer.from(`${this.target}/`), relative]));
  }

  private warn(place: Place, message: string): void {
    const warning = { path: this.display(place), message };
    this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }

  private problems(place: Place, messages: string[]): void {
    for (const message of messages) this.warn(place, message);
  }

  /**
   * Fetches each needed pack once (bounded parallel downloads, neighbouring blobs in one read), and
   * has workers decrypt, verify and write every blob where it belongs. A worker also finishes (size,
   * metadata) each file whose remaining blobs are all in its job: most small files never come back
   * to this thread.
   */
  private async writeContent(): Promise<void> {
    const byPack = new Map<string, Map<string, { location: BlobLocation; targets: BlobTarget[] }>>();
    for (const file of this.files) {
      let offset = 0;
      for (const id of file.node.content!) {
        const location = this.repo.index.get(id);
        if (!location)
          throw new CairnError(
            'corrupt',
            `data of ${this.display(file)} is missing from the repository (blob ${id.slice(0, 16)})`,
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
          const job = this.restoreJob(group.requests.map((request) => request.item));
          // Added after the await: `x += await …` would add to the value read before it, losing
          // what the other packs' jobs added meanwhile.
          const result = await workers.pool.run<RestoreBlobsResult>(
            { kind: 'restore-blobs', packId, bytes: view, base: group.offset, ...job.message },
            view.length,
            transfer,
          );
          this.progress.bytesDone += result.written;
          for (const { file, message } of result.problems) this.warn(job.files[file]!.planned, message);
          for (const { planned, writes, finishedThere } of job.files) {
            this.progress.currentPath = this.display(planned);
            planned.remaining -= writes;
            if (finishedThere) this.progress.filesDone++;
            else if (planned.remaining === 0) this.finishFile(planned);
          }
        }
      });
    } finally {
      await workers.pool.close();
    }
  }

  /** The worker job for these blobs: the files they go to, each finished there if it can be. */
  private restoreJob(items: { id: string; location: BlobLocation; targets: BlobTarget[] }[]) {
    const indexes = new Map<PlannedFile, number>();
    const files: { planned: PlannedFile; writes: number; finishedThere: boolean }[] = [];
    const blobs: RestoreBlob[] = items.map(({ id, location, targets }) => ({
      id,
      offset: location.offset,
      length: location.length,
      rawLength: location.rawLength,
      compressed: location.compressed,
      targets: targets.map((target) => {
        let index = indexes.get(target.file);
        if (index === undefined) {
          indexes.set(target.file, (index = files.length));
          files.push({ planned: target.file, writes: 0, finishedThere: false });
        }
        files[index]!.writes++;
        return { file: index, offset: target.offset };
      }),
    }));
    const jobFiles: RestoreFile[] = files.map((file) => {
      const { dir, name, node, remaining } = file.planned;
      // Every write still to come is in this job, so no other job can be writing this file.
      file.finishedThere = file.writes === remaining;
      return file.finishedThere
        ? { dir, name, finish: { size: node.size ?? 0, metadata: entryMetadata(node) } }
        : { dir, name };
    });
    return { files, message: { root: this.root, chown: this.isRoot, files: jobFiles, blobs } };
  }

  /** A file whose blobs came from several jobs: its size (holes at the end included) and metadata. */
  private finishFile(file: PlannedFile): void {
    const fd = nativeFs.openat(this.folders.get(file.dir), file.name, FILE_FLAGS, 0);
    try {
      ftruncateSync(fd, file.node.size ?? 0);
      this.problems(file, applyToHandle(fd, entryMetadata(file.node), this.isRoot));
    } finally {
      nativeFs.close(fd);
    }
    this.progress.filesDone++;
  }

  private hardLink(link: Place & { to: Place }): void {
    try {
      nativeFs.linkat(this.folders.get(link.to.dir), link.to.name, this.folders.get(link.dir), link.name);
    } catch (error) {
      this.warn(link, `cannot create hard link: ${errnoCode(error) ?? String(error)}`);
    }
  }

  /** Deepest first, so that a read-only folder is made so only after everything inside it. */
  private folderMetadata(): void {
    for (const { path, node } of this.dirs.reverse()) {
      const place = { dir: path, name: Buffer.alloc(0) };
      try {
        const fd = nativeFs.openBeneath(this.root, path, constants.O_RDONLY | constants.O_DIRECTORY, 0);
        try {
          this.problems(place, applyToHandle(fd, entryMetadata(node), this.isRoot));
        } finally {
          nativeFs.close(fd);
        }
      } catch (error) {
        this.warn(place, `cannot restore metadata: ${errnoCode(error) ?? String(error)}`);
      }
    }
  }
}
