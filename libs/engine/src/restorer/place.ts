import { constants } from 'node:fs';
import { errnoCode } from '../errors.js';
import { nativeFs } from '../native/native-fs.js';

const FOLDER = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * A handle of the folder `name` in `dirFd`: an existing folder is reused, anything else there (a
 * symlink above all, which is removed and never followed) is replaced by a new, private folder.
 */
export function enterFolder(dirFd: number, name: Buffer): number {
  try {
    nativeFs.mkdirat(dirFd, name, 0o700);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    try {
      return nativeFs.openat(dirFd, name, FOLDER, 0);
    } catch (openError) {
      // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on a file ENOTDIR.
      if (!['ELOOP', 'ENOTDIR'].includes(errnoCode(openError) ?? '')) throw openError;
      nativeFs.unlinkat(dirFd, name, 0);
      nativeFs.mkdirat(dirFd, name, 0o700);
    }
  }
  return nativeFs.openat(dirFd, name, FOLDER, 0);
}

/**
 * Makes room for a new entry `name` in `dirFd`: whatever is there is removed (a symlink itself, not
 * what it points to; an empty folder too). False when a folder with content is in the way.
 */
export function makeRoom(dirFd: number, name: Buffer): boolean {
  try {
    nativeFs.unlinkat(dirFd, name, 0);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return true;
    if (code !== 'EISDIR') throw error;
    try {
      nativeFs.unlinkat(dirFd, name, nativeFs.constants.AT_REMOVEDIR);
    } catch (rmdirError) {
      if (['ENOTEMPTY', 'EEXIST'].includes(errnoCode(rmdirError) ?? '')) return false;
      throw rmdirError;
    }
  }
  return true;
}
