import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../errors.js';
import type { Backend } from './backend.js';
import { LocalBackend } from './local.js';
import type { BackendOptions } from './options.js';
import { LazyBackend } from './lazy.js';
import { throttled } from './throttle.js';
import { parseS3Url, parseSftpUrl } from './url.js';

export type { BackendOptions, S3Options, SftpOptions } from './options.js';
export type { BandwidthLimits } from './throttle.js';

/** Chooses the backend for a repository location (DESIGN §4), paced to the options' bandwidth limits. */
export function openBackend(location: string, options: BackendOptions = {}): Backend {
  return throttled(backendAt(location, options), options.limits, { signal: options.signal });
}

function backendAt(location: string, options: BackendOptions): Backend {
  if (location.trim() === '')
    throw new CairnError('usage', 'no repository given (use --repo or CAIRN_REPOSITORY)');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return new LocalBackend(resolve(location));
  switch (scheme) {
    case 'file':
      try {
        return new LocalBackend(fileURLToPath(location));
      } catch {
        throw new CairnError('usage', `malformed file URL "${location}"`);
      }
    // The URL is checked now; the backend's code is loaded when the repository is first touched.
    case 's3':
    case 's3+http': {
      const where = parseS3Url(location);
      return new LazyBackend(
        where.display,
        async () => new (await import('./s3.js')).S3Backend(where, options),
      );
    }
    case 'sftp': {
      const where = parseSftpUrl(location);
      return new LazyBackend(
        where.display,
        async () => new (await import('./sftp.js')).SftpBackend(where, options),
      );
    }
    default:
      throw new CairnError(
        'usage',
        `unsupported repository URL scheme "${scheme}:" (use a folder, s3://, s3+http:// or sftp://)`,
      );
  }
}
