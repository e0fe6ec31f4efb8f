import type { BigIntStats } from 'node:fs';
import { constants, promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { LocalBackend } from '../backends/local.js';
import { Chunker } from '../chunker/chunker.js';
import { safeUsername } from '../crypto/keys.js';
import { CairnError, errnoCode, throwIfAborted } from '../errors.js';
import { RepositoryLock } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import { findParent, findSnapshot, saveSnapshot, type BackupSummary, type Snapshot } from '../snapshot/snapshot.js';
import { encodeTree, nameFields, type TreeNode } from '../tree/tree.js';
import { loadTree } from '../tree/load.js';
import { Limiter, mapLimit } from '../util/limiter.js';
import { childPath, displayPath } from '../util/paths.js';
import { InflightWindow } from '../util/window.js';
import { PROGRAM_VERSION } from '../version.js';
import { excludeMatcher } from './excludes.js';
import { OwnerNames } from './owners.js';
import { metadataFromStats } from './stat-node.js';
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

const READ_BLOCK = 8 * 1024 * 1024;
const FILE_CONCURRENCY = 8;
const STAT_CONCURRENCY = 32;
const ENTRY_CONCURRENCY = 16;
const INFLIGHT_BYTES = 64 * 1024 * 1024;

/** Makes a snapshot of `options.paths` (DESIGN §3): content-defined chunks, deduplicated, packed. */
export async function backup(repo: Repository, options: BackupOptions): Promise<BackupResult> {
  const lock = await RepositoryLock.acquire(repo, { exclusive: false });
  try {
    await repo.loadIndex();
    const adoptedPacks = await repo.adoptUnindexedPacks();
    return { ...(await new Archiver(repo, options).run()), adoptedPacks };
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
  private readonly files = new Limiter(FILE_CONCURRENCY);
  private readonly stats = new Limiter(STAT_CONCURRENCY);
  private readonly window = new InflightWindow(INFLIGHT_BYTES);
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
  ) {
    this.isExcluded = excludeMatcher(options.excludes ?? []);
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
      await this.window.drain();
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
    if (this.options.paths.length === 0) throw new CairnError('usage', 'nothing to back up: give at least one path');
    const absolute = [...new Set(this.options.paths.map((path) => resolve(path)))].sort();
    const paths = absolute.filter((path) => !absolute.some((other) => other !== path && isInside(path, other)));
    for (const path of paths) {
      try {
        await fs.lstat(path);
      } catch (error) {
        const reason = errnoCode(error) === 'ENOENT' ? 'no such file or directory' : String(error);
        throw new CairnError('usage', `cannot back up ${path}: ${reason}`);
      }
    }
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
    for (const [component, child] of [...trie.children].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      const name = Buffer.from(component);
      const full = childPath(path, name);
      const previous = parentNodes.get(component);
      if (child.target) {
        const node = await this.entry(full, name, previous);
        if (node) nodes.push(node);
        continue;
      }
      const stats = await fs.lstat(full, { bigint: true });
      const subtree = await this.saveTrie(child, full, previous?.type === 'dir' ? previous.subtree : undefined);
      nodes.push({ ...nameFields(name), ...metadataFromStats(stats, this.owners), subtree });
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

  private async entry(path: Buffer, name: Buffer, previous: TreeNode | undefined): Promise<TreeNode | undefined> {
    throwIfAborted(this.options.signal);
    let stats: BigIntStats;
    try {
      stats = await this.stats.run(() => fs.lstat(path, { bigint: true }));
    } catch (error) {
      this.warn(path, errnoCode(error) === 'ENOENT' ? 'vanished before it could be read' : `cannot stat: ${errnoCode(error) ?? error}`);
      return undefined;
    }
    const node: TreeNode = { ...nameFields(name), ...metadataFromStats(stats, this.owners) };
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
        const target = await fs.readlink(path, { encoding: 'buffer' });
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
      names = await fs.readdir(path, { encoding: 'buffer' });
    } catch (error) {
      this.warn(path, `cannot read directory: ${errnoCode(error) ?? error}`);
      return this.saveTree([]);
    }
    const previous = await this.parentNodes(previousTree);
    const included = names
      .sort(Buffer.compare)
      .filter((name) => !this.isExcluded(displayPath(childPath(path, name)), name.toString()));
    const nodes = await mapLimit(included, ENTRY_CONCURRENCY, (name) => {
      const fields = nameFields(name);
      return this.entry(childPath(path, name), name, previous.get(fields.nameRaw ?? fields.name));
    });
    return this.saveTree(nodes.filter((node): node is TreeNode => node !== undefined));
  }

  private async file(path: Buffer, stats: BigIntStats, previous: TreeNode | undefined): Promise<string[] | undefined> {
    const size = Number(stats.size);
    this.summary.bytesTotal += size;
    if (previous && isUnchanged(previous, stats) && previous.content!.every((id) => this.repo.hasBlob(id))) {
      this.summary.filesUnmodified++;
      this.countDone(size);
      return previous.content;
    }
    const linkKey = stats.nlink > 1n ? `${stats.dev}:${stats.ino}` : undefined;
    const earlier = linkKey !== undefined ? this.hardLinks.get(linkKey) : undefined;
    if (earlier) {
      this.countDone(size);
      return earlier;
    }
    const reading = this.files.run(() => this.readFile(path, stats));
    if (linkKey !== undefined) this.hardLinks.set(linkKey, reading);
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

  private async readFile(path: Buffer, stats: BigIntStats): Promise<string[] | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await openForReading(path);
    } catch (error) {
      this.warn(path, `cannot read: ${errnoCode(error) ?? error}`);
      this.filesDone++;
      return undefined;
    }
    this.currentPath = displayPath(path);
    try {
      const content: string[] = [];
      const size = Number(stats.size);
      const { min } = this.repo.config.chunker;
      if (size < min) {
        const buffer = Buffer.allocUnsafe(size);
        const { bytesRead } = size > 0 ? await handle.read(buffer, 0, size, 0) : { bytesRead: 0 };
        if (bytesRead > 0) content.push(await this.storeChunk(buffer.subarray(0, bytesRead)));
      } else {
        const chunker = new Chunker(this.repo.config.chunker, this.repo.gearTable);
        while (true) {
          throwIfAborted(this.options.signal);
          const block = Buffer.allocUnsafe(READ_BLOCK);
          const { bytesRead } = await handle.read(block, 0, READ_BLOCK, null);
          if (bytesRead === 0) break;
          for (const chunk of chunker.push(block.subarray(0, bytesRead))) content.push(await this.storeChunk(chunk));
        }
        const last = chunker.finish();
        if (last) content.push(await this.storeChunk(last));
      }
      const after = await handle.stat({ bigint: true });
      if (after.size !== stats.size || after.mtimeNs !== stats.mtimeNs) {
        this.warn(path, 'file changed while it was being read; the snapshot may hold a mix of old and new content');
      }
      this.filesDone++;
      return content;
    } catch (error) {
      if (error instanceof CairnError) throw error;
      this.warn(path, `read failed: ${errnoCode(error) ?? error}`);
      this.filesDone++;
      return undefined;
    } finally {
      await handle.close();
    }
  }

  /** Ids the chunk at once (ids fix the content order) and stores it in the background. */
  private async storeChunk(chunk: Buffer): Promise<string> {
    const id = this.repo.blobId(chunk);
    this.summary.bytesRead += chunk.length;
    this.bytesDone += chunk.length;
    if (!this.repo.hasBlob(id)) {
      await this.window.add(chunk.length, async () => {
        const result = await this.repo.saveBlob('data', chunk, id);
        if (result.added) {
          this.summary.bytesAdded += result.stored;
          this.summary.blobsAdded++;
        }
      });
    }
    return id;
  }
}

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

async function openForReading(path: Buffer): Promise<fs.FileHandle> {
  try {
    return await fs.open(path, constants.O_RDONLY | constants.O_NOATIME);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') throw error;
    return fs.open(path, constants.O_RDONLY);
  }
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
