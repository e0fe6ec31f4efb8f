// Types of fs-tree.mjs. TypeScript tests import these types with `typeof import(...)` and load the
// module at run time from the repository root, because their compiled files live at another depth.

export interface EntryDescription {
  type: 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'chardev' | 'blockdev';
  /** Permission bits in octal, e.g. "0o4755". */
  mode: string;
  uid: number;
  gid: number;
  mtimeMs: number;
  size?: number;
  sha256?: string;
  linkTarget?: string;
  /** Relative paths (this one included) that share this file's inode. */
  hardLinks?: string[];
}

export type TreeDescription = Record<string, EntryDescription>;

export declare const NON_UTF8_NAME: Buffer;
export declare function makeTempDir(prefix: string): Promise<string>;
export declare function removeDir(path: string): Promise<void>;
export declare function pseudoRandomBytes(length: number, seed: string | number): Buffer;
export declare function flipByte(path: string, offset: number): Promise<void>;
export declare function dirSize(root: string): Promise<number>;
export declare function buildSourceTree(root: string, options?: { largeFiles?: boolean }): Promise<void>;
export declare function describeTree(root: string): Promise<TreeDescription>;
export declare function uniqueFileBytes(description: TreeDescription): number;
