import { CairnError, type BackendOptions } from '@cairn/engine';

/**
 * Secrets are handed to the backends as the environment variables the CLI reads (so a job exported
 * as a `cairn` command line uses the same names); these shorter names are accepted too.
 */
const SECRET_ALIASES: Record<string, string> = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  password: 'CAIRN_SFTP_PASSWORD',
  privateKey: 'CAIRN_SFTP_KEY',
  privateKeyPassphrase: 'CAIRN_SFTP_KEY_PASSPHRASE',
};

/**
 * A destination's settings as engine backend options. Non-secret options: `region`, `pathStyle`,
 * `storageClass`, `createBucket` (S3) and `hostKey` (SFTP). Only the destination's own secrets are
 * visible to the backend, never the runner's environment.
 */
export function backendOptions(
  options: Record<string, string>,
  secrets: Record<string, string>,
  overrides: Pick<BackendOptions, 'retry' | 'timeoutMs' | 'onRetry'> = {},
): BackendOptions {
  const env = Object.fromEntries(
    Object.entries(secrets).map(([name, value]) => [SECRET_ALIASES[name] ?? name, value]),
  );
  // The CLI reads a key file named in CAIRN_SFTP_KEY; a runner reads no file a destination names.
  if (env.CAIRN_SFTP_KEY !== undefined && !env.CAIRN_SFTP_KEY.includes('-----BEGIN')) {
    throw new CairnError('usage', 'the SFTP private key is not a key', {
      detail: { reason: 'private-key-unusable', wrongPassphrase: false },
    });
  }
  return {
    env,
    s3: {
      ...(options.region ? { region: options.region } : {}),
      ...(options.pathStyle ? { pathStyle: options.pathStyle === 'true' } : {}),
      ...(options.storageClass ? { storageClass: options.storageClass } : {}),
      ...(options.createBucket ? { createBucket: options.createBucket === 'true' } : {}),
    },
    sftp: options.hostKey ? { hostKey: options.hostKey } : {},
    ...overrides,
  };
}
