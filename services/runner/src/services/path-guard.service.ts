import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { RUNNER_CONFIG } from '../tokens.js';
import type { RunnerConfig } from '../config.js';
import { FilesystemRepository } from '../repositories/filesystem.repository.js';
import { PathRefused } from '../utils/path-refused.js';
import { climbs, isWithin } from '../utils/paths.js';

/**
 * Keeps every path a request names inside the folders this runner was given: sources under
 * CAIRN_SOURCE_ROOTS, restores under CAIRN_RESTORE_ROOT. Checked twice, as written and with
 * symlinks resolved, so a link inside a root cannot lead outside it.
 */
@Injectable()
export class PathGuard {
  constructor(
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
    private readonly fs: FilesystemRepository,
  ) {}

  get sourceRoots(): readonly string[] {
    return this.config.CAIRN_SOURCE_ROOTS.map((root) => resolve(root));
  }

  get restoreRoot(): string {
    return resolve(this.config.CAIRN_RESTORE_ROOT);
  }

  /** An absolute path under one of the source roots. */
  async source(path: string): Promise<string> {
    if (!path.startsWith('/') || climbs(path))
      throw new PathRefused(`${path} is not an absolute path without ..`);
    const wanted = resolve(path);
    const real = await this.fs.realpath(wanted);
    for (const root of this.sourceRoots) {
      if (isWithin(root, wanted) && isWithin(await this.fs.realpath(root), real)) return wanted;
    }
    throw new PathRefused(`${path} is outside the source folders (${this.sourceRoots.join(', ')})`);
  }

  /** The folder a restore writes to: `target` taken relative to the restore root. */
  async restoreTarget(target: string): Promise<string> {
    if (climbs(target)) throw new PathRefused(`restore target ${target} must not contain ..`);
    const root = this.restoreRoot;
    const wanted = resolve(root, `.${target.startsWith('/') ? '' : '/'}${target}`);
    if (!isWithin(root, wanted) || !isWithin(await this.fs.realpath(root), await this.fs.realpath(wanted))) {
      throw new PathRefused(`restore target ${target} is outside the restore folder ${root}`);
    }
    return wanted;
  }
}
