import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../errors.js';
import type { Backend } from './backend.js';
import { LocalBackend } from './local.js';

/** Settings for remote destinations; each backend reads the ones it knows. */
export interface BackendOptions {
  /** Environment to take credentials from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Parallel transfers. */
  connections?: number;
}

/** Chooses the backend for a repository location (DESIGN §4). */
export function openBackend(location: string, _options: BackendOptions = {}): Backend {
  if (location.trim() === '') throw new CairnError('usage', 'no repository given (use --repo or CAIRN_REPOSITORY)');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return new LocalBackend(resolve(location));
  if (scheme === 'file') {
    try {
      return new LocalBackend(fileURLToPath(location));
    } catch {
      throw new CairnError('usage', `malformed file URL "${location}"`);
    }
  }
  throw new CairnError('usage', `unsupported repository URL scheme "${scheme}:" in "${location}"`);
}
