import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The engine's addon (libs/engine/native/cairn_fs.cc), built at install by scripts/build-native.mjs.
 * Every call is synchronous and throws a Node-style system error (`code`, `errno`, `syscall`).
 * Names and paths are Buffers, so any byte a Linux name may hold passes through.
 */
export interface NativeFs {
  /** openat(2); O_CLOEXEC is added. */
  openat(dirFd: number, path: Buffer, flags: number, mode: number): number;
  /**
   * Opens `path` (relative, "" for `rootFd` itself) below `rootFd` without following a symlink in
   * any component, the last one included, and without climbing above `rootFd`.
   */
  openBeneath(rootFd: number, path: Buffer, flags: number, mode: number): number;
  /** Closes a handle this addon opened (a worker thread's fs.closeSync warns about those). */
  close(fd: number): void;
  mkdirat(dirFd: number, name: Buffer, mode: number): void;
  symlinkat(target: Buffer, dirFd: number, name: Buffer): void;
  /** `mode` holds the type (S_IFIFO, S_IFCHR, S_IFBLK) and the permission bits. */
  mknodat(dirFd: number, name: Buffer, mode: number, rdev: bigint): void;
  /** Links `oldName` itself, never what a symlink there points to. */
  linkat(oldDirFd: number, oldName: Buffer, newDirFd: number, newName: Buffer): void;
  unlinkat(dirFd: number, name: Buffer, flags: number): void;
  fchownat(dirFd: number, name: Buffer, uid: number, gid: number, flags: number): void;
  fchmodat(dirFd: number, name: Buffer, mode: number, flags: number): void;
  /** Seconds may be negative (before 1970); nanoseconds are 0–999 999 999. */
  utimensat(
    dirFd: number,
    name: Buffer,
    atimeSec: bigint,
    atimeNsec: number,
    mtimeSec: bigint,
    mtimeNsec: number,
    flags: number,
  ): void;
  futimens(fd: number, atimeSec: bigint, atimeNsec: number, mtimeSec: bigint, mtimeNsec: number): void;
  /** Every extended attribute of the entry itself (POSIX ACLs included); [] where the file system has none. */
  lgetxattrs(path: Buffer): [name: Buffer, value: Buffer][];
  fsetxattr(fd: number, name: Buffer, value: Buffer): void;
  /** For entries that cannot be opened: through /proc/self/fd/`dirFd`, `entry` itself not followed. */
  setxattrAt(dirFd: number, entry: Buffer, name: Buffer, value: Buffer): void;
  /**
   * Writes `data` at `position` of a new file, leaving every page-aligned run of zeros unwritten (a
   * hole); returns the bytes written. The caller sets the final size with ftruncate.
   */
  writeSparse(fd: number, data: Buffer, position: number): number;
  constants: { AT_FDCWD: number; AT_SYMLINK_NOFOLLOW: number; AT_REMOVEDIR: number };
}

const ADDON = fileURLToPath(new URL('../../../native/build/Release/cairn_fs.node', import.meta.url));

function load(): NativeFs {
  try {
    return createRequire(import.meta.url)(ADDON) as NativeFs;
  } catch (error) {
    // No fallback: without it a restore would follow symlinks and drop metadata.
    throw new Error(
      `the engine's native addon ${ADDON} does not load (${error instanceof Error ? error.message : String(error)}); ` +
        'build it with "npm ci" or "node libs/engine/scripts/build-native.mjs" (needs python3, make and g++)',
      { cause: error },
    );
  }
}

export const nativeFs: NativeFs = load();

const NS_PER_SECOND = 1_000_000_000n;

/** Seconds (rounded down, so negative times keep a positive nanosecond part) and nanoseconds. */
export function splitNs(ns: bigint): [seconds: bigint, nanoseconds: number] {
  let seconds = ns / NS_PER_SECOND;
  let rest = ns % NS_PER_SECOND;
  if (rest < 0n) {
    seconds -= 1n;
    rest += NS_PER_SECOND;
  }
  return [seconds, Number(rest)];
}
