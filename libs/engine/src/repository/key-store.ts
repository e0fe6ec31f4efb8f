import type { Backend } from '../backends/backend.js';
import { fileId } from '../crypto/ids.js';
import { parseKeyFile, unwrapMasterKeys, type KeyFile, type MasterKeys } from '../crypto/keys.js';
import { CairnError, isCairnError } from '../errors.js';

export interface KeyInfo {
  name: string;
  created: string;
  host: string;
  username: string;
}

/** Reads a key file and checks that its bytes hash to its name. */
export async function loadKeyFile(backend: Backend, name: string): Promise<KeyFile> {
  const bytes = await backend.load('key', name);
  if (fileId(bytes) !== name)
    throw new CairnError('corrupt', `key file keys/${name} is damaged (content does not match its name)`);
  return parseKeyFile(bytes, name);
}

/**
 * Tries the password on every key file; a damaged key file is skipped unless no other key opens. So is
 * a key of another repository id: the key a losing `init` wrote before it found the winner's config
 * (it removes that key, but may have died first).
 */
export async function findMasterKeys(
  backend: Backend,
  repositoryId: string,
  password: string,
): Promise<{ keys: MasterKeys; name: string }> {
  const files = await backend.list('key');
  if (files.length === 0)
    throw new CairnError('corrupt', `repository at ${backend.location} has no key files`);
  const damaged: string[] = [];
  let foreign: CairnError | undefined;
  for (const { name } of files) {
    let file: KeyFile;
    try {
      file = await loadKeyFile(backend, name);
    } catch (error) {
      if (error instanceof CairnError && error.kind === 'corrupt') {
        damaged.push(error.message);
        continue;
      }
      throw error;
    }
    try {
      const keys = await unwrapMasterKeys(file, repositoryId, password);
      if (keys) return { keys, name };
    } catch (error) {
      if (!isCairnError(error, 'corrupt')) throw error;
      foreign = error;
    }
  }
  if (foreign) throw foreign;
  if (damaged.length > 0) throw new CairnError('corrupt', `wrong password, or ${damaged.join('; ')}`);
  throw new CairnError('wrong-password', `wrong password for the repository at ${backend.location}`);
}

export async function listKeys(backend: Backend): Promise<KeyInfo[]> {
  const keys: KeyInfo[] = [];
  for (const { name } of await backend.list('key')) {
    const file = await loadKeyFile(backend, name);
    keys.push({ name, created: file.created, host: file.host, username: file.username });
  }
  return keys.sort((a, b) => a.created.localeCompare(b.created));
}
