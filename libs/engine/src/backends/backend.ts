/** The kinds of file a repository stores, each in its own folder. */
export type FileType = 'config' | 'key' | 'pack' | 'index' | 'snapshot' | 'lock';

export interface FileInfo {
  name: string;
  size: number;
}

export interface SaveOptions {
  /**
   * Create the file only if no file has that name, atomically: of any number of concurrent savers
   * exactly one succeeds and the others get `CairnError('already-exists')`. Used for `config`, so that
   * a repository is created exactly once.
   */
  ifAbsent?: boolean;
}

export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * A destination: a folder, a bucket prefix or a remote path. Implementations map (type, name) to
 * their layout via {@link filePath}, make `save` atomic (a reader never sees half a file under its
 * real name), honour {@link SaveOptions.ifAbsent}, and throw `CairnError('not-found')` for missing files.
 */
export interface Backend {
  /** Human-readable location without credentials, for messages. */
  readonly location: string;
  /** The folder on this machine that holds the repository, for backends that are one (so a backup can keep out of it). */
  readonly localFolder?: string;
  save(type: FileType, name: string, data: Buffer, options?: SaveOptions): Promise<void>;
  load(type: FileType, name: string, range?: ByteRange): Promise<Buffer>;
  stat(type: FileType, name: string): Promise<FileInfo>;
  list(type: FileType): Promise<FileInfo[]>;
  remove(type: FileType, name: string): Promise<void>;
  /** Creates the folders or checks the bucket so that `init` can write. */
  create(): Promise<void>;
  /**
   * Undoes what create() made where it holds nothing: for backends whose create() makes folders,
   * so that a destination test leaves the location as it found it.
   */
  removeEmptyLayout?(): Promise<void>;
  close(): Promise<void>;
}

const FOLDERS: Record<Exclude<FileType, 'config'>, string> = {
  key: 'keys',
  pack: 'data',
  index: 'index',
  snapshot: 'snapshots',
  lock: 'locks',
};

export const FILE_TYPES = Object.keys(FOLDERS) as Exclude<FileType, 'config'>[];

export function folderOf(type: Exclude<FileType, 'config'>): string {
  return FOLDERS[type];
}

/** Relative path of a file in the repository layout of DESIGN §3 (packs fan out by two hex digits). */
export function filePath(type: FileType, name: string): string {
  if (type === 'config') return 'config';
  if (type === 'pack') return `data/${name.slice(0, 2)}/${name}`;
  return `${FOLDERS[type]}/${name}`;
}
