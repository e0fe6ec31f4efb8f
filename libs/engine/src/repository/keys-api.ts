import { CairnError } from '../errors.js';
import { listKeys, type KeyInfo } from './key-store.js';
import { Repository } from './repository.js';
import type { KdfParams } from '../crypto/keys.js';

/** Adds a password: a new key file wrapping the same master keys. Returns its name. */
export function addKey(repo: Repository, password: string, kdf?: KdfParams): Promise<string> {
  return Repository.storeKey(repo.backend, repo.keys, repo.config.id, password, kdf);
}

export async function listRepositoryKeys(repo: Repository): Promise<(KeyInfo & { current: boolean })[]> {
  return (await listKeys(repo.backend)).map((key) => ({ ...key, current: key.name === repo.keyName }));
}

/** Removes a password. The one in use cannot be removed, so a repository never loses its last key. */
export async function removeKey(repo: Repository, nameOrPrefix: string): Promise<string> {
  const matches = (await repo.backend.list('key')).filter((key) => key.name.startsWith(nameOrPrefix));
  if (matches.length !== 1) {
    throw new CairnError(
      'usage',
      matches.length
        ? `"${nameOrPrefix}" matches ${matches.length} keys`
        : `no key matches "${nameOrPrefix}"`,
    );
  }
  const name = matches[0]!.name;
  if (name === repo.keyName)
    throw new CairnError(
      'usage',
      'refusing to remove the key in use; open the repository with another password first',
    );
  await repo.backend.remove('key', name);
  return name;
}

/** Replaces the password in use: adds the new key first, then removes the old one. */
export async function changePassword(repo: Repository, password: string, kdf?: KdfParams): Promise<string> {
  const name = await addKey(repo, password, kdf);
  await repo.backend.remove('key', repo.keyName);
  repo.keyName = name;
  return name;
}
