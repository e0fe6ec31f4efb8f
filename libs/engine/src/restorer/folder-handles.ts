import { constants } from 'node:fs';
import { nativeFs } from '../native/native-fs.js';

/** Handles kept open at once: enough for the folders one pack's files are in, far below any fd limit. */
const KEPT_OPEN = 64;

/**
 * Handles of folders below the restore target, each opened from the target's handle without
 * following a symlink in any component, so that nothing planted in the target can redirect a write.
 * The most recently used ones stay open; `dir` is relative to the target ("" for the target).
 */
export class FolderHandles {
  private readonly open = new Map<string, number>();

  constructor(private readonly root: number) {}

  get(dir: Buffer): number {
    if (dir.length === 0) return this.root;
    const key = dir.toString('latin1');
    let fd = this.open.get(key);
    if (fd !== undefined) {
      this.open.delete(key); // moved to the end: the least recently used come first
    } else {
      fd = nativeFs.openBeneath(this.root, dir, constants.O_RDONLY | constants.O_DIRECTORY, 0);
      if (this.open.size >= KEPT_OPEN) {
        const [oldest, oldestFd] = this.open.entries().next().value!;
        nativeFs.close(oldestFd);
        this.open.delete(oldest);
      }
    }
    this.open.set(key, fd);
    return fd;
  }

  close(): void {
    for (const fd of this.open.values()) nativeFs.close(fd);
    this.open.clear();
  }
}

/** A path relative to the restore target, one name further down. */
export function relativeChild(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 0 ? name : Buffer.concat([dir, Buffer.from('/'), name]);
}
