import { createSecretKey, randomBytes, scrypt, type KeyObject, type ScryptOptions } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { CairnError } from '../errors.js';
import { open, seal } from './aead.js';

/** The secrets that every password of a repository unlocks. */
export interface MasterKeys {
  /** AES-256-GCM key for every blob and file. */
  encryption: Buffer;
  /** HMAC-SHA256 key for blob ids; also seeds the chunker's gear table. */
  id: Buffer;
}

/**
 * The same keys as KeyObjects: handing node:crypto a raw Buffer makes it build a KeyObject on every
 * call, which costs more than hashing a small blob.
 */
export interface MasterKeyObjects {
  encryption: KeyObject;
  id: KeyObject;
}

export function keyObjects(keys: MasterKeys): MasterKeyObjects {
  return { encryption: createSecretKey(keys.encryption), id: createSecretKey(keys.id) };
}

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/** About 64 MiB and a quarter of a second per unlock on a small server. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 16, r: 8, p: 1 };

/** The JSON stored in `keys/<id>`: one file per password. */
export interface KeyFile {
  version: 1;
  created: string;
  host: string;
  username: string;
  kdf: KdfParams & { name: 'scrypt'; salt: string };
  /** Base64 of the sealed {@link MasterKeyPayload}. */
  data: string;
}

interface MasterKeyPayload {
  repository: string;
  encryption: string;
  id: string;
}

export function generateMasterKeys(): MasterKeys {
  return { encryption: randomBytes(32), id: randomBytes(32) };
}

function deriveKey(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function wrapMasterKeys(
  keys: MasterKeys,
  repositoryId: string,
  password: string,
  params: KdfParams = DEFAULT_KDF,
): Promise<KeyFile> {
  const salt = randomBytes(32);
  const kek = await deriveKey(password, salt, params);
  const payload: MasterKeyPayload = {
    repository: repositoryId,
    encryption: keys.encryption.toString('base64'),
    id: keys.id.toString('base64'),
  };
  return {
    version: 1,
    created: new Date().toISOString(),
    host: hostname(),
    username: safeUsername(),
    kdf: { name: 'scrypt', ...params, salt: salt.toString('base64') },
    data: seal(kek, Buffer.from(JSON.stringify(payload))).toString('base64'),
  };
}

/** Returns undefined when the password does not open this key file. */
export async function unwrapMasterKeys(
  file: KeyFile,
  repositoryId: string,
  password: string,
): Promise<MasterKeys | undefined> {
  const kek = await deriveKey(password, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  let payload: MasterKeyPayload;
  try {
    payload = JSON.parse(open(kek, Buffer.from(file.data, 'base64'), 'key').toString()) as MasterKeyPayload;
  } catch {
    return undefined;
  }
  if (payload.repository !== repositoryId) {
    throw new CairnError('corrupt', 'key file belongs to another repository (config was replaced?)');
  }
  return { encryption: Buffer.from(payload.encryption, 'base64'), id: Buffer.from(payload.id, 'base64') };
}

/**
 * What a key file may ask of scrypt before a password is tried: 1 GiB of memory (16× the default's) and
 * 16 lanes. The parameters come from the destination, which whoever can write there controls; without
 * a bound one crafted key file would make every unlock allocate whatever it names, or run for hours.
 */
const KDF_MEMORY_LIMIT = 1024 * 1024 * 1024;
const KDF_LANES_LIMIT = 16;

export function parseKeyFile(bytes: Buffer, name: string): KeyFile {
  let file: KeyFile;
  try {
    file = JSON.parse(bytes.toString()) as KeyFile;
    if (file.version !== 1 || file.kdf?.name !== 'scrypt' || typeof file.data !== 'string') throw new Error();
  } catch {
    throw new CairnError('corrupt', `key file keys/${name} is not a valid key file`);
  }
  const { N, r, p } = file.kdf;
  const valid = [N, r, p].every((value) => Number.isSafeInteger(value) && value > 0) && (N & (N - 1)) === 0;
  if (!valid || N < 2 || 128 * N * r > KDF_MEMORY_LIMIT || p > KDF_LANES_LIMIT) {
    throw new CairnError(
      'corrupt',
      `key file keys/${name} asks for scrypt N=${N}, r=${r}, p=${p}, beyond what any Cairn key uses (at most 1 GiB of memory and ${KDF_LANES_LIMIT} lanes): not tried`,
    );
  }
  return file;
}

export function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
