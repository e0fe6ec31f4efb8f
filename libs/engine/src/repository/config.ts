import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Backend } from '../backends/backend.js';
import { DEFAULT_CHUNKER, validateChunkerParams, type ChunkerParams } from '../chunker/chunker.js';
import type { MasterKeys } from '../crypto/keys.js';
import { CairnError, isCairnError } from '../errors.js';

/**
 * `config`: plaintext, so that tools can tell what a folder is without a password, but authenticated:
 * `mac` binds the other fields to the master keys, so that nobody without the password can change the
 * chunker parameters (and with them every chunk boundary) unnoticed.
 */
export interface RepositoryConfig {
  version: 1;
  id: string;
  chunker: ChunkerParams;
  created: string;
}

interface ConfigFile extends RepositoryConfig {
  /** Hex HMAC-SHA256 of {@link authenticatedBytes} under {@link configMacKey}. */
  mac: string;
}

export function newConfig(chunker: ChunkerParams = DEFAULT_CHUNKER): RepositoryConfig {
  return {
    version: 1,
    id: randomBytes(32).toString('hex'),
    chunker: validateChunkerParams(chunker),
    created: new Date().toISOString(),
  };
}

/** The bytes of `config` for a new repository whose master keys are `keys`. */
export function configBytes(config: RepositoryConfig, keys: MasterKeys): Buffer {
  const file: ConfigFile = { ...config, mac: configMac(config, keys).toString('hex') };
  return Buffer.from(JSON.stringify(file, null, 2) + '\n');
}

/**
 * Checks the config's MAC once the password has given the master keys; the config read before that
 * (to find the id the keys belong to) is not trusted until then.
 */
export function verifyConfig(config: RepositoryConfig, keys: MasterKeys, location: string): void {
  const stored = /^[0-9a-f]{64}$/.test((config as Partial<ConfigFile>).mac ?? '')
    ? Buffer.from((config as ConfigFile).mac, 'hex')
    : undefined;
  if (!stored) {
    throw new CairnError(
      'corrupt',
      `config of ${location} carries no authentication code: it was tampered with, or made by a ` +
        'pre-release Cairn that did not sign its config (make a new repository)',
    );
  }
  if (!timingSafeEqual(stored, configMac(config, keys))) {
    throw new CairnError(
      'corrupt',
      `config of ${location} was tampered with: its contents (chunker parameters, id, version) do not ` +
        'match the authentication code made with the repository keys',
    );
  }
}

/** The fields that mean something, in a fixed order, so that formatting or added fields do not matter. */
function authenticatedBytes(config: RepositoryConfig): Buffer {
  const { version, id, chunker, created } = config;
  return Buffer.from(JSON.stringify([version, id, chunker.min, chunker.avg, chunker.max, created]));
}

function configMac(config: RepositoryConfig, keys: MasterKeys): Buffer {
  return createHmac('sha256', configMacKey(keys)).update(authenticatedBytes(config)).digest();
}

/** A key of its own for the MAC, derived from the encryption key, so no key serves two purposes. */
function configMacKey(keys: MasterKeys): Buffer {
  return Buffer.from(hkdfSync('sha256', keys.encryption, Buffer.alloc(0), 'cairn config mac', 32));
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
        { detail: { reason: 'repository-missing', location: backend.location } },
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
