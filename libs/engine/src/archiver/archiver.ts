import type { BigIntStats } from 'node:fs';
import { lstatSync, promises as fs, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { LocalBackend } from '../backends/local.js';
import { safeUsername } from '../crypto/keys.js';
import { CairnError, errnoCode, throwIfAborted } from '../errors.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import {
  findParent,
  findSnapshot,
  saveSnapshot,
  type BackupSummary,
  type Snapshot,
} from '../snapshot/snapshot.js';
import { encodeTree, nameFields, type TreeNode } from '../tree/tree.js';
import { loadTree } from '../tree/load.js';
import { Limiter, mapLimit } from '../util/limiter.js';
import { childPath, displayPath } from '../util/paths.js';
import { PROGRAM_VERSION } from '../version.js';
import { WorkerJobError } from '../workers/pool.js';
import { kibOf, REPLACED_FILE, type BackupFileResult, type ChunkMessage } from '../workers/protocol.js';
import { startWorkers, type RepositoryWorkers } from '../workers/start.js';
import { globMatcher } from '../util/glob.js';
import { OwnerNames } from './owners.js';
import { metadataFromStats } from './stat-node.js';
import { extendedAttributes } from './xattrs.js';
import { scanTotals, type ScanTotals } from './scanner.js';

export interface BackupOptions {
  paths: string[];
  excludes?: string[];
  tags?: string[];
  host?: string;
  time?: Date;
  job?: string;
  /** Snapshot to compare against; undefined picks the newest of the same host and paths; null none. */
  parent?: string | null;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
  onWarning?: (warning: BackupWarning) => void;
  progressIntervalMs?: number;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface BackupProgress {
  filesDone: number;
  bytesDone: number;
  filesTotal: number;
  bytesTotal: number;
  scanFinished: boolean;
  bytesAdded: number;
  currentPath: string;
  elapsedMs: number;
}

export interface BackupWarning {
  path: string;
  message: string;
}

export interface BackupResult {
  snapshotId: string;
  snapshot: Snapshot;
  warnings: BackupWarning[];
  /** Packs left by an interrupted backup that this one indexed and reused. */
  adoptedPacks: number;
}

const FILE_CONCURRENCY = 16;
const ENTRY_CONCURRENCY = 16;

/** Makes a snapshot of `options.paths` (DESIGN §3): content-defined chunks, deduplicated, packed. */
export async function backup(repo: Repository, options: BackupOptions): Promise<BackupResult> {
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: false });
  try {
    await repo.loadIndex();
    const adoptedPacks = await repo.adoptUnindexedPacks();
    const workers = startWorkers(repo);
    try {
      return { ...(await new Archiver(repo, options, workers).run()), adoptedPacks };
    } finally {
      await workers.pool.close();
    }
  } finally {
    await lock.release();
  }
}

interface PathTrie {
  children: Map<string, PathTrie>;
  target: boolean;
}

class Archiver {
  private readonly owners = new OwnerNames();
  private readonly isExcluded: (path: string, name: string) => boolean;
  /** Without patterns, names need not be decoded to text for matching (the walk's hot path). */
  private readonly hasExcludes: boolean;
  private readonly files = new Limiter(FILE_CONCURRENCY);
  /** Chunks from workers are stored one after another, in the order they arrive. */
  private storing: Promise<void> = Promise.resolve();
  private storeFailure: unknown;
  private readonly hardLinks = new Map<string, Promise<string[] | undefined>>();
  private readonly warnings: BackupWarning[] = [];
  private readonly started = Date.now();
  private readonly totals: ScanTotals = { files: 0, bytes: 0, finished: false };
  private readonly summary: BackupSummary = {
    filesNew: 0,
    filesChanged: 0,
    filesUnmodified: 0,
    dirs: 0,
    otherEntries: 0,
    bytesRead: 0,
    bytesTotal: 0,
    bytesAdded: 0,
    blobsAdded: 0,
    packsWritten: 0,
    warnings: 0,
    durationMs: 0,
  };
  private filesDone = 0;
  private bytesDone = 0;
  private currentPath = '';

  constructor(
    private readonly repo: Repository,
    private readonly options: BackupOptions,
    private readonly workers: RepositoryWorkers,
  ) {
    this.isExcluded = globMatcher(options.excludes ?? []);
    this.hasExcludes = (options.excludes ?? []).length > 0;
  }

  async run(): Promise<Omit<BackupResult, 'adoptedPacks'>> {
    const paths = await this.checkedPaths();
    const host = this.options.host ?? hostname();
    const parent =
      this.options.parent === null
        ? undefined
        : this.options.parent !== undefined
          ? await findSnapshot(this.repo, this.options.parent)
          : await findParent(this.repo, host, paths);
    const packsBefore = this.repo.uploadStats.packs;
    const timer = this.startProgress(paths);
    let tree: string;
    try {
      tree = await this.saveTrie(buildTrie(paths), Buffer.from('/'), parent?.tree);
      await this.storing;
      if (this.storeFailure !== undefined) throw this.storeFailure;
      await this.repo.flush();
    } finally {
      clearInterval(timer);
    }
    Object.assign(this.summary, {
      packsWritten: this.repo.uploadStats.packs - packsBefore,
      warnings: this.warnings.length,
      durationMs: Date.now() - this.started,
    });
    this.options.onProgress?.(this.progress());
    const snapshot: Snapshot = {
      time: (this.options.time ?? new Date()).toISOString(),
      host,
      username: safeUsername(),
      paths,
      tags: this.options.tags ?? [],
      tree,
      ...(parent ? { parent: parent.id } : {}),
      ...(this.options.excludes?.length ? { excludes: this.options.excludes } : {}),
      ...(this.options.job ? { job: this.options.job } : {}),
      programVersion: PROGRAM_VERSION,
      summary: this.summary,
    };
    const snapshotId = await saveSnapshot(this.repo, snapshot);
    return { snapshotId, snapshot, warnings: this.warnings };
  }

  /** Absolute, existing, not nested in each other, and not containing the repository itself. */
  private async checkedPaths(): Promise<string[]> {
    if (this.options.paths.length === 0)
      throw new CairnError('usage', 'nothing to back up: give at least one path');
    const absolute = [...new Set(this.options.paths.map((path) => resolve(path)))].sort();
    // Every path must exist, also one that lies inside another given path.
    for (const path of absolute) {
      try {
        await fs.lstat(path);
      } catch (error) {
        const reason = errnoCode(error) === 'ENOENT' ? 'no such file or directory' : String(error);
        throw new CairnError('usage', `cannot back up ${path}: ${reason}`);
      }
    }
    const paths = absolute.filter(
      (path) => !absolute.some((other) => other !== path && isInside(path, other)),
    );
    const backend = this.repo.backend;
    if (backend instanceof LocalBackend) {
      const repoPath = backend.location;
      const source = paths.find((path) => isInside(repoPath, path) || repoPath === path);
      if (source !== undefined && !this.isExcluded(repoPath, basename(repoPath))) {
        throw new CairnError(
          'usage',
          `the repository ${repoPath} is inside the backup source ${source}; choose another place for it or add --exclude ${repoPath}`,
        );
      }
    }
    return paths;
  }

  private startProgress(paths: string[]): NodeJS.Timeout | undefined {
    const onProgress = this.options.onProgress;
    if (!onProgress) return undefined;
    void scanTotals(paths, this.isExcluded, this.totals, this.options.signal);
    const timer = setInterval(() => onProgress(this.progress()), this.options.progressIntervalMs ?? 500);
    timer.unref();
    return timer;
  }

  private progress(): BackupProgress {
    return {
      filesDone: this.filesDone,
      bytesDone: this.bytesDone,
      filesTotal: Math.max(this.totals.files, this.filesDone),
      bytesTotal: Math.max(this.totals.bytes, this.bytesDone),
      scanFinished: this.totals.finished,
      bytesAdded: this.summary.bytesAdded,
      currentPath: this.currentPath,
      elapsedMs: Date.now() - this.started,
    };
  }

  private warn(path: Buffer, message: string): void {
    const warning = { path: displayPath(path), message };
    this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }

  /** The folders above the backed-up paths are stored too, so a snapshot mirrors absolute paths. */
  private async saveTrie(trie: PathTrie, path: Buffer, parentTree: string | undefined): Promise<string> {
    const parentNodes = await this.parentNodes(parentTree);
    const nodes: TreeNode[] = [];
    for (const [component, child] of [...trie.children].sort(([a], [b]) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    )) {
      const name = Buffer.from(component);
      const full = childPath(path, name);
      const previous = parentNodes.get(component);
      if (child.target) {
        const node = await this.entry(full, name, previous);
        if (node) nodes.push(node);
        // An unmounted share looks like an empty folder; retention must hear that this backup is suspect.
        if (node?.type === 'dir' && readdirSync(full).length === 0) {
          this.warn(full, 'the source folder is empty (not mounted yet?)');
        }
        continue;
      }
      const stats = lstatSync(full, { bigint: true });
      const subtree = await this.saveTrie(
        child,
        full,
        previous?.type === 'dir' ? previous.subtree : undefined,
      );
      nodes.push({
        ...nameFields(name),
        ...metadataFromStats(stats, this.owners),
        ...extendedAttributes(full, this.warn.bind(this)),
        subtree,
      });
    }
    return this.saveTree(nodes);
  }

  private async parentNodes(treeId: string | undefined): Promise<Map<string, TreeNode>> {
    if (treeId === undefined || !this.repo.index.has(treeId)) return new Map();
    const tree = await loadTree(this.repo, treeId);
    return new Map(tree.nodes.map((node) => [node.nameRaw ?? node.name, node]));
  }

  private async saveTree(nodes: TreeNode[]): Promise<string> {
    return (await this.repo.saveBlob('tree', encodeTree({ nodes }))).id;
  }

  private async entry(
    path: Buffer,
    name: Buffer,
    previous: TreeNode | undefined,
  ): Promise<TreeNode | undefined> {
    throwIfAborted(this.options.signal);
    let stats: BigIntStats;
    try {
      // Synchronous: a cached lstat takes microseconds, a promise round trip through the thread pool ten times that.
      stats = lstatSync(path, { bigint: true });
    } catch (error) {
      this.warn(
        path,
        errnoCode(error) === 'ENOENT'
          ? 'vanished before it could be read'
          : `cannot stat: ${errnoCode(error) ?? error}`,
      );
      return undefined;
    }
    const node: TreeNode = {
      ...nameFields(name),
      ...metadataFromStats(stats, this.owners),
      ...extendedAttributes(path, this.warn.bind(this)),
    };
    switch (node.type) {
      case 'dir':
        this.summary.dirs++;
        node.subtree = await this.directory(path, previous?.type === 'dir' ? previous.subtree : undefined);
        return node;
      case 'file': {
        const content = await this.file(path, stats, previous);
        if (!content) return undefined;
        node.content = content;
        return node;
      }
      case 'symlink': {
        let target: Buffer;
        try {
          target = await fs.readlink(path, { encoding: 'buffer' });
        } catch (error) {
          // EINVAL: no longer a symlink, swapped for something else since the lstat.
          const code = errnoCode(error);
          this.warn(path, code === 'EINVAL' ? REPLACED_WARNING : `cannot read the link: ${code ?? error}`);
          return undefined;
        }
        const fields = nameFields(target);
        node.linkTarget = fields.name;
        if (fields.nameRaw !== undefined) node.linkTargetRaw = fields.nameRaw;
        this.summary.otherEntries++;
        return node;
      }
      default:
        this.summary.otherEntries++;
        return node;
    }
  }

  private async directory(path: Buffer, previousTree: string | undefined): Promise<string> {
    let names: Buffer[];
    try {
      names = readdirSync(path, { encoding: 'buffer' });
    } catch (error) {
      this.warn(path, `cannot read directory: ${errnoCode(error) ?? error}`);
      return this.saveTree([]);
    }
    const previous = await this.parentNodes(previousTree);
    const children = names
      .sort(Buffer.compare)
      .map((name) => ({ name, path: childPath(path, name) }))
      .filter(
        ({ name, path: child }) => !this.hasExcludes || !this.isExcluded(displayPath(child), name.toString()),
      );
    const nodes = await mapLimit(children, ENTRY_CONCURRENCY, ({ name, path: child }) => {
      const fields = nameFields(name);
      return this.entry(child, name, previous.get(fields.nameRaw ?? fields.name));
    });
    return this.saveTree(nodes.filter((node): node is TreeNode => node !== undefined));
  }

  private async file(
    path: Buffer,
    stats: BigIntStats,
    previous: TreeNode | undefined,
  ): Promise<string[] | undefined> {
    const size = Number(stats.size);
    this.summary.bytesTotal += size;
    if (previous && isUnchanged(previous, stats) && previous.content!.every((id) => this.repo.hasBlob(id))) {
      this.summary.filesUnmodified++;
      this.countDone(size);
      return previous.content;
    }
    const linkKey = stats.nlink > 1n ? `${stats.dev}:${stats.ino}` : undefined;
    const earlier = linkKey !== undefined ? this.hardLinks.get(linkKey) : undefined;
    // Every name of a hard-linked file counts as a file, as in restic and as a re-backup counts them.
    const reading = earlier ?? this.files.run(() => this.readFile(path, stats));
    if (earlier) this.countDone(size);
    else if (linkKey !== undefined) this.hardLinks.set(linkKey, reading);
    const content = await reading;
    if (content) {
      if (previous) this.summary.filesChanged++;
      else this.summary.filesNew++;
    }
    return content;
  }

  private countDone(bytes: number): void {
    this.filesDone++;
    this.bytesDone += bytes;
  }

  /** A worker reads, chunks and seals the file; this thread stores what it sends, in order. */
  private async readFile(path: Buffer, stats: BigIntStats): Promise<string[] | undefined> {
    throwIfAborted(this.options.signal);
    this.currentPath = displayPath(path);
    const content: string[] = [];
    let lost = false;
    let result: BackupFileResult;
    try {
      result = await this.workers.pool.run<BackupFileResult>(
        {
          kind: 'backup-file',
          path,
          size: Number(stats.size),
          mtimeNs: stats.mtimeNs.toString(),
          dev: stats.dev.toString(),
          ino: stats.ino.toString(),
        },
        Number(stats.size),
        [],
        (chunk) => {
          content.push(chunk.id);
          this.store(path, chunk, () => (lost = true));
        },
      );
      await this.storing;
      // A cancel inside one big file takes effect now, not after the whole file is stored.
      throwIfAborted(this.options.signal);
    } catch (error) {
      if (!(error instanceof WorkerJobError)) throw error;
      this.warn(
        path,
        error.code === REPLACED_FILE ? REPLACED_WARNING : `cannot read: ${error.code ?? error.message}`,
      );
      this.filesDone++;
      return undefined;
    }
    this.filesDone++;
    if (lost) {
      this.warn(path, 'changed while it was being read and could not be saved consistently; left out');
      return undefined;
    }
    if (result.changed)
      this.warn(
        path,
        'file changed while it was being read; the snapshot may hold a mix of old and new content',
      );
    return content;
  }

  private store(path: Buffer, chunk: ChunkMessage, onLost: () => void): void {
    this.summary.bytesRead += chunk.rawLength;
    this.bytesDone += chunk.rawLength;
    if (chunk.sealed) this.workers.bloom.add(chunk.id);
    this.storing = this.storing.then(async () => {
      try {
        if (this.storeFailure !== undefined || this.options.signal?.aborted) return;
        if (chunk.sealed) {
          const sealed = Buffer.from(chunk.sealed.buffer, chunk.sealed.byteOffset, chunk.sealed.length);
          this.count(
            await this.repo.saveEncodedBlob('data', chunk.id, sealed, chunk.rawLength, chunk.compressed),
          );
        } else if (!this.repo.hasBlob(chunk.id) && !(await this.reread(path, chunk))) {
          onLost();
        }
      } catch (error) {
        this.storeFailure ??= error;
      } finally {
        if (chunk.sealed) {
          Atomics.sub(this.workers.credit, 0, kibOf(chunk.sealed.length));
          Atomics.notify(this.workers.credit, 0);
        }
      }
    });
  }

  /** The Bloom filter was wrong (rare): read the chunk again and store it here. */
  private async reread(path: Buffer, chunk: ChunkMessage): Promise<boolean> {
    const handle = await fs.open(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(chunk.rawLength);
      const { bytesRead } = await handle.read(buffer, 0, chunk.rawLength, chunk.offset);
      if (bytesRead !== chunk.rawLength || this.repo.blobId(buffer) !== chunk.id) return false;
      this.count(await this.repo.saveBlob('data', buffer, chunk.id));
      return true;
    } finally {
      await handle.close();
    }
  }

  private count(result: { added: boolean; stored: number }): void {
    if (!result.added) return;
    this.summary.bytesAdded += result.stored;
    this.summary.blobsAdded++;
  }
}

const REPLACED_WARNING = 'was replaced by another file or a symlink after it was listed; left out';

function isUnchanged(previous: TreeNode, stats: BigIntStats): boolean {
  return (
    previous.type === 'file' &&
    previous.content !== undefined &&
    previous.size === Number(stats.size) &&
    previous.mtime === stats.mtimeNs.toString() &&
    previous.ctime === stats.ctimeNs.toString() &&
    previous.inode === stats.ino.toString()
  );
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

function buildTrie(paths: readonly string[]): PathTrie {
  const root: PathTrie = { children: new Map(), target: false };
  for (const path of paths) {
    let node = root;
    for (const component of path.split('/').filter(Boolean)) {
      let next = node.children.get(component);
      if (!next) node.children.set(component, (next = { children: new Map(), target: false }));
      node = next;
    }
    node.target = true;
  }
  return root;
}
