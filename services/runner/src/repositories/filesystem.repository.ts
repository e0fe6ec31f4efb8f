import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { TreeEntry } from '@cairn/contracts';

/** The runner's own file system: the mounted sources and the restore folder. */
@Injectable()
export class FilesystemRepository {
  /** The path with every symlink resolved; of a missing path, its nearest existing ancestor's, plus the rest. */
  async realpath(path: string): Promise<string> {
    try {
      return await realpath(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path === '/') throw error;
      const cut = path.lastIndexOf('/');
      return join(await this.realpath(path.slice(0, cut) || '/'), path.slice(cut + 1));
    }
  }

  async entry(path: string, name: string): Promise<TreeEntry> {
    const stats = await lstat(path);
    return {
      name,
      path,
      type: stats.isDirectory()
        ? 'dir'
        : stats.isFile()
          ? 'file'
          : stats.isSymbolicLink()
            ? 'symlink'
            : 'other',
      ...(stats.isFile() ? { size: stats.size } : {}),
      mtime: stats.mtime.toISOString(),
      mode: stats.mode & 0o7777,
    };
  }

  /** The entries of a folder, folders first, then by name. */
  async list(dir: string): Promise<TreeEntry[]> {
    const names = await readdir(dir);
    // An entry that vanished between readdir and lstat is simply not listed.
    const entries = (await Promise.allSettled(names.map((name) => this.entry(join(dir, name), name))))
      .filter((result) => result.status === 'fulfilled')
      .map((result) => result.value);
    return entries.sort(
      (a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name),
    );
  }

  /** Whether a source root is there, and for a folder whether it holds anything. */
  async sourceState(path: string): Promise<'missing' | 'empty' | 'present'> {
    let stats;
    try {
      stats = await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    if (!stats.isDirectory()) return 'present';
    return (await readdir(path)).length === 0 ? 'empty' : 'present';
  }

  async makeFolder(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }
}
