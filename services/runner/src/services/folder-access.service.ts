import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { HandlerError } from '@cairn/contracts';
import type { RunnerConfig } from '../config.js';
import { RUNNER_CONFIG } from '../tokens.js';

const READ = constants.R_OK | constants.X_OK;
const READ_WRITE = READ | constants.W_OK;

/**
 * Can this runner do its work on disk, as the user it runs as? Read its sources; read and write its
 * restores, its cache and the repositories of folder destinations. Asked by the container health
 * check, so that a runner started as another user than the one owning its folders reports unhealthy
 * instead of failing every run with "permission denied".
 */
@Injectable()
export class FolderAccessService {
  constructor(@Inject(RUNNER_CONFIG) private readonly config: RunnerConfig) {}

  /** Resolves when every folder allows what the runner does there; rejects naming each one that does not. */
  async check(): Promise<{ ok: true }> {
    const { CAIRN_SOURCE_ROOTS, CAIRN_RESTORE_ROOT, CAIRN_CACHE_DIR, CAIRN_BACKUPS_DIR } = this.config;
    const wanted: [string, number][] = [
      ...CAIRN_SOURCE_ROOTS.map((root): [string, number] => [root, READ]),
      [CAIRN_RESTORE_ROOT, READ_WRITE],
      ...(CAIRN_CACHE_DIR ? [[CAIRN_CACHE_DIR, READ_WRITE] as [string, number]] : []),
      ...(CAIRN_BACKUPS_DIR ? await withRepositories(CAIRN_BACKUPS_DIR) : []),
    ];
    const problems = (await Promise.all(wanted.map(([dir, mode]) => problem(dir, mode)))).filter(Boolean);
    if (problems.length > 0) {
      throw new HandlerError(
        'unavailable',
        `runs as ${process.getuid?.()}:${process.getgid?.()} and ${problems.join('; ')}`,
      );
    }
    return { ok: true };
  }
}

/** The folder of folder destinations and each repository folder directly in it. */
async function withRepositories(dir: string): Promise<[string, number][]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return [
    [dir, READ_WRITE],
    ...entries.filter((e) => e.isDirectory()).map((e): [string, number] => [join(dir, e.name), READ_WRITE]),
  ];
}

async function problem(dir: string, mode: number): Promise<string | undefined> {
  try {
    await access(dir, mode);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${dir} does not exist`;
    const owner = await stat(dir).then(
      (info) => ` (owned by ${info.uid}:${info.gid})`,
      () => '',
    );
    return `cannot ${mode === READ ? 'read' : 'read and write'} ${dir}${owner}`;
  }
}
