import { randomBytes } from 'node:crypto';
import type { Backend } from '../backends/backend.js';
import { DEFAULT_CHUNKER, validateChunkerParams, type ChunkerParams } from '../chunker/chunker.js';
import { CairnError, isCairnError } from '../errors.js';

/** `config`: plaintext, so that tools can tell what a folder is without a password. */
export interface RepositoryConfig {
  version: 1;
  id: string;
  chunker: ChunkerParams;
  created: string;
}

export function newConfig(chunker: ChunkerParams = DEFAULT_CHUNKER): RepositoryConfig {
  return {
    version: 1,
    id: randomBytes(32).toString('hex'),
    chunker: validateChunkerParams(chunker),
    created: new Date().toISOString(),
  };
}

export async function readConfig(backend: Backend): Promise<RepositoryConfig> {
  let bytes: Buffer;
  try {
    bytes = await backend.load('config', 'config');
  } catch (error) {
    if (isCairnError(error, 'not-found')) {
      throw new CairnError(
        'repository-not-found',
        `there is no repository at ${backend.location} (run "cairn init")`,
      );
    }
    throw error;
  }
  try {
    const config = JSON.parse(bytes.toString()) as RepositoryConfig;
    if (config.version !== 1) throw new Error(`unsupported version ${config.version}`);
    if (!/^[0-9a-f]{64}$/.test(config.id)) throw new Error('bad id');
    validateChunkerParams(config.chunker);
    return config;
  } catch (error) {
    throw new CairnError('corrupt', `config of ${backend.location} is damaged: ${(error as Error).message}`);
  }
}

export async function configExists(backend: Backend): Promise<boolean> {
  try {
    await backend.stat('config', 'config');
    return true;
  } catch (error) {
    if (isCairnError(error, 'not-found')) return false;
    throw error;
  }
}
