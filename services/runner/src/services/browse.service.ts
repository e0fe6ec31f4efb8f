import { basename } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { TreeEntry } from '@cairn/contracts';
import { FilesystemRepository } from '../repositories/filesystem.repository.js';
import { PathGuard } from './path-guard.service.js';

/** Lets the UI pick a job's sources: folders under the source roots, and nothing else. */
@Injectable()
export class BrowseService {
  constructor(
    private readonly fs: FilesystemRepository,
    private readonly paths: PathGuard,
  ) {}

  /** `/` lists the roots themselves, so the UI has somewhere to start. */
  async list(path: string): Promise<TreeEntry[]> {
    if (path === '/') {
      return Promise.all(this.paths.sourceRoots.map((root) => this.fs.entry(root, basename(root) || root)));
    }
    return this.fs.list(await this.paths.source(path));
  }
}
