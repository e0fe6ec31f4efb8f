import type { Backend, FileType } from '../backends/backend.js';
import { LocalBackend } from '../backends/local.js';
import { DEFAULT_CONNECTIONS, LOCAL_CONNECTIONS } from '../backends/options.js';
import { gearTable, type ChunkerParams } from '../chunker/chunker.js';
import type { CompressionMode } from '../compression.js';
import { decodeBlob, encodeBlob } from '../pack/blob-codec.js';
import { open, seal } from '../crypto/aead.js';
import { blobId, fileId } from '../crypto/ids.js';
import {
  generateMasterKeys,
  keyObjects,
  wrapMasterKeys,
  type KdfParams,
  type MasterKeyObjects,
  type MasterKeys,
} from '../crypto/keys.js';
import { CairnError, isCairnError } from '../errors.js';
import { decodeIndex, encodeIndex, type IndexContent } from '../index/index-file.js';
import { MasterIndex } from '../index/master-index.js';
import { readPackHeader, type BlobType } from '../pack/pack.js';
import { mapLimit } from '../util/limiter.js';
import {
  configBytes,
  configExists,
  newConfig,
  readConfig,
  verifyConfig,
  type RepositoryConfig,
} from './config.js';
import { findMasterKeys } from './key-store.js';
import { PackUploader, type UploadStats } from './pack-uploader.js';

export interface InitOptions {
  chunker?: ChunkerParams;
  kdf?: KdfParams;
  /** Share chunker parameters and id key with this repository, so copies between them dedupe. */
  copyParamsFrom?: Repository;
}

export interface OpenOptions {
  compression?: CompressionMode;
  /** Target pack size in bytes. */
  packSize?: number;
  /** Parallel uploads and downloads. */
  connections?: number;
  checkpointMs?: number;
  /** Do everything except write to the backend. */
  dryRun?: boolean;
}

export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
const CHECKPOINT_MS = 5 * 60 * 1000;

export interface SaveBlobResult {
  id: string;
  /** False when the repository already had the blob (deduplicated). */
  added: boolean;
  /** Bytes the blob takes in its pack (0 when deduplicated). */
  stored: number;
}

/** An opened repository: the keys, the index, and every read and write of repository bytes. */
export class Repository {
  readonly index = new MasterIndex();
  readonly indexFiles = new Set<string>();
  private readonly uploader: PackUploader;
  private readonly pending = new Set<string>();
  /** The master keys in the form node:crypto uses fastest. */
  readonly keyObjects: MasterKeyObjects;
  private gear?: Int32Array;

  private constructor(
    readonly backend: Backend,
    readonly config: RepositoryConfig,
    readonly keys: MasterKeys,
    /** The key file the password opened; changes when the password is changed. */
    public keyName: string,
    readonly options: Required<OpenOptions>,
  ) {
    this.keyObjects = keyObjects(keys);
    this.uploader = new PackUploader(
      backend,
      this.keyObjects.encryption,
      this.index,
      (content) => this.saveIndexFile(content),
      (blobs) => blobs.forEach((blob) => this.pending.delete(blob.id)),
      {
        packSize: options.packSize,
        connections: options.connections,
        checkpointMs: options.checkpointMs,
        dryRun: options.dryRun,
      },
    );
  }

  /**
   * Creates a repository exactly once, however many processes try at the same moment: the key goes
   * first (so the config, once visible, always has a key), then `config` with a create-if-absent
   * save that only one writer can win. A loser removes its key (readers skip keys of another
   * repository id anyway, in case it dies first) and throws `repository-exists`; it may then open
   * the winner's repository.
   */
  static async init(
    backend: Backend,
    password: string,
    options: InitOptions & OpenOptions = {},
  ): Promise<Repository> {
    const exists = () =>
      new CairnError('repository-exists', `a repository already exists at ${backend.location}`);
    if (await configExists(backend)) throw exists();
    const source = options.copyParamsFrom;
    const config = newConfig(source?.config.chunker ?? options.chunker);
    const keys = source ? { ...generateMasterKeys(), id: source.keys.id } : generateMasterKeys();
    await backend.create();
    const keyName = await Repository.storeKey(backend, keys, config.id, password, options.kdf);
    try {
      await backend.save('config', 'config', configBytes(config, keys), { ifAbsent: true });
    } catch (error) {
      if (!isCairnError(error, 'already-exists')) throw error;
      await backend.remove('key', keyName);
      throw exists();
    }
    return new Repository(backend, config, keys, keyName, withDefaults(backend, options));
  }

  static async open(backend: Backend, password: string, options: OpenOptions = {}): Promise<Repository> {
    const config = await readConfig(backend);
    const { keys, name } = await findMasterKeys(backend, config.id, password);
    verifyConfig(config, keys, backend.location);
    return new Repository(backend, config, keys, name, withDefaults(backend, options));
  }

  /** Wraps the master keys under another password; returns the new key file's name. */
  static async storeKey(
    backend: Backend,
    keys: MasterKeys,
    repositoryId: string,
    password: string,
    kdf?: KdfParams,
  ): Promise<string> {
    const file = await wrapMasterKeys(keys, repositoryId, password, kdf);
    const bytes = Buffer.from(JSON.stringify(file));
    const name = fileId(bytes);
    await backend.save('key', name, bytes);
    return name;
  }

  get gearTable(): Int32Array {
    return (this.gear ??= gearTable(this.keys.id));
  }

  get uploadStats(): UploadStats {
    return this.uploader.stats;
  }

  blobId(plaintext: Uint8Array): string {
    return blobId(this.keyObjects.id, plaintext);
  }

  hasBlob(id: string): boolean {
    return this.index.has(id) || this.pending.has(id);
  }

  /** Stores a blob unless the repository has it already. `id` may be passed when already computed. */
  async saveBlob(type: BlobType, plaintext: Buffer, id = this.blobId(plaintext)): Promise<SaveBlobResult> {
    if (this.hasBlob(id)) return { id, added: false, stored: 0 };
    const { sealed, compressed } = encodeBlob(
      plaintext,
      this.options.compression,
      this.keyObjects.encryption,
    );
    return this.saveEncodedBlob(type, id, sealed, plaintext.length, compressed);
  }

  /** Stores a blob that a worker already compressed and sealed. */
  async saveEncodedBlob(
    type: BlobType,
    id: string,
    sealed: Buffer,
    rawLength: number,
    compressed: boolean,
  ): Promise<SaveBlobResult> {
    if (this.hasBlob(id)) return { id, added: false, stored: 0 };
    this.pending.add(id);
    await this.uploader.add(type, id, sealed, rawLength, compressed);
    return { id, added: true, stored: sealed.length };
  }

  /** Stores a sealed blob in a new pack even though the index has it (prune moves blobs this way). */
  async moveBlob(
    type: BlobType,
    id: string,
    sealed: Buffer,
    rawLength: number,
    compressed: boolean,
  ): Promise<void> {
    await this.uploader.add(type, id, sealed, rawLength, compressed);
  }

  /** Finishes and uploads the packs being written, without an index file; returns them. */
  flushPacks(): Promise<IndexContent['packs']> {
    return this.uploader.finishPacks();
  }

  async loadBlob(id: string): Promise<Buffer> {
    const location = this.index.get(id);
    if (!location) throw new CairnError('corrupt', `blob ${id} is referenced but not in any index`);
    const sealed = await this.backend.load('pack', location.packId, {
      offset: location.offset,
      length: location.length,
    });
    return decodeBlob(this.keyObjects, id, location, sealed);
  }

  /** Finishes partial packs, waits for uploads, and writes the index that makes them visible. */
  flush(): Promise<void> {
    return this.uploader.flush();
  }

  async saveFile(type: Exclude<FileType, 'config' | 'pack' | 'key'>, plaintext: Buffer): Promise<string> {
    const bytes = seal(this.keyObjects.encryption, plaintext);
    const name = fileId(bytes);
    if (!this.options.dryRun) await this.backend.save(type, name, bytes);
    return name;
  }

  /** Loads an encrypted file, checking that its bytes still hash to its name. */
  async loadFile(type: Exclude<FileType, 'config' | 'pack' | 'key'>, name: string): Promise<Buffer> {
    const bytes = await this.backend.load(type, name);
    const what = `${type} file ${name}`;
    if (fileId(bytes) !== name)
      throw new CairnError('corrupt', `${what}: content does not match its name (damaged)`);
    return open(this.keyObjects.encryption, bytes, what);
  }

  saveJson(type: 'snapshot' | 'lock', value: unknown): Promise<string> {
    return this.saveFile(type, Buffer.from(JSON.stringify(value)));
  }

  async loadJson<T>(type: 'snapshot' | 'lock', name: string): Promise<T> {
    const plaintext = await this.loadFile(type, name);
    try {
      return JSON.parse(plaintext.toString()) as T;
    } catch {
      throw new CairnError('corrupt', `${type} file ${name}: not valid JSON`);
    }
  }

  async saveIndexFile(content: IndexContent): Promise<string> {
    const name = await this.saveFile('index', encodeIndex(content));
    this.indexFiles.add(name);
    return name;
  }

  async loadIndexFile(name: string): Promise<IndexContent> {
    return decodeIndex(await this.loadFile('index', name), `index file ${name}`);
  }

  /** Loads every index file into memory. */
  async loadIndex(): Promise<void> {
    const files = (await this.backend.list('index')).filter((file) => !this.indexFiles.has(file.name));
    const contents = await mapLimit(files, this.options.connections, (file) => this.loadIndexFile(file.name));
    files.forEach((file, i) => {
      this.indexFiles.add(file.name);
      for (const pack of contents[i]!.packs) this.index.addPack(pack.id, pack.blobs);
    });
  }

  /**
   * Finds packs that no index lists (left by an interrupted backup), reads their headers and indexes
   * them, so their blobs are reused instead of uploaded again. Returns how many packs were adopted.
   */
  async adoptUnindexedPacks(): Promise<number> {
    const orphans = (await this.backend.list('pack')).filter((pack) => !this.index.hasPack(pack.name));
    const headers = await mapLimit(orphans, this.options.connections, async (pack) => {
      try {
        return await readPackHeader(this.backend, this.keyObjects.encryption, pack.name, pack.size);
      } catch {
        return undefined; // a damaged leftover is check's business; it must not stop a backup
      }
    });
    const packs = orphans.flatMap((pack, i) => (headers[i] ? [{ id: pack.name, blobs: headers[i] }] : []));
    if (packs.length === 0) return 0;
    for (const pack of packs) this.index.addPack(pack.id, pack.blobs);
    if (!this.options.dryRun) await this.saveIndexFile({ supersedes: [], packs });
    return packs.length;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

function withDefaults(backend: Backend, options: OpenOptions): Required<OpenOptions> {
  return {
    compression: options.compression ?? 'default',
    packSize: options.packSize ?? DEFAULT_PACK_SIZE,
    connections:
      options.connections ?? (backend instanceof LocalBackend ? LOCAL_CONNECTIONS : DEFAULT_CONNECTIONS),
    checkpointMs: options.checkpointMs ?? CHECKPOINT_MS,
    dryRun: options.dryRun ?? false,
  };
}
