import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  addKey,
  backup,
  changePassword,
  listRepositoryKeys,
  removeKey,
  type Repository,
} from '../src/index.js';
import {
  FAST_KDF,
  initRepo,
  openRepo,
  PASSWORD,
  rejectsWithKind,
  restoredPath,
  restoreSnapshot,
  scratchDir,
} from './helpers.js';

const OTHER = 'another password';

async function repoWithSnapshot(
  t: TestContext,
): Promise<{ repo: Repository; path: string; snapshotId: string; dir: string; source: string }> {
  const dir = await scratchDir(t, 'keys');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fs.writeFile(join(source, 'secret.txt'), 'still readable\n');
  const path = join(dir, 'repo');
  const repo = await initRepo(path);
  const { snapshotId } = await backup(repo, { paths: [source] });
  return { repo, path, snapshotId, dir, source };
}

test('a second password opens the same repository; listing shows which key is in use', async (t) => {
  const { repo, path } = await repoWithSnapshot(t);
  const second = await addKey(repo, OTHER, FAST_KDF);
  const viaOther = await openRepo(path, OTHER);
  assert.equal(viaOther.keyName, second);
  assert.ok(
    viaOther.keys.encryption.equals(repo.keys.encryption),
    'both passwords unlock the same master keys',
  );
  assert.ok(viaOther.keys.id.equals(repo.keys.id));
  const listed = await listRepositoryKeys(viaOther);
  assert.deepEqual(
    listed.map((key) => [key.name, key.current]).sort(),
    [
      [repo.keyName, false],
      [second, true],
    ].sort(),
  );
});

test('removing the other key locks its password out; the key in use cannot be removed', async (t) => {
  const { repo, path, snapshotId, dir, source } = await repoWithSnapshot(t);
  const second = await addKey(repo, OTHER, FAST_KDF);
  const viaOther = await openRepo(path, OTHER);

  const refused = await rejectsWithKind(removeKey(viaOther, second.slice(0, 8)), 'usage');
  assert.match(refused.message, /in use/);
  await rejectsWithKind(removeKey(viaOther, 'ffffffffffff'), 'usage');

  assert.equal(await removeKey(viaOther, repo.keyName.slice(0, 10)), repo.keyName);
  await rejectsWithKind(openRepo(path, PASSWORD), 'wrong-password');
  const remaining = await openRepo(path, OTHER);
  assert.deepEqual(
    (await listRepositoryKeys(remaining)).map((key) => key.name),
    [second],
  );
  await restoreSnapshot(remaining, snapshotId, join(dir, 'target'));
  assert.equal(
    await fs.readFile(join(restoredPath(join(dir, 'target'), source), 'secret.txt'), 'utf8'),
    'still readable\n',
  );
});

test('after changing the password the old one fails and the new one opens the same data', async (t) => {
  const { repo, path, snapshotId, dir } = await repoWithSnapshot(t);
  const newName = await changePassword(repo, OTHER, FAST_KDF);
  await rejectsWithKind(openRepo(path, PASSWORD), 'wrong-password');
  const reopened = await openRepo(path, OTHER);
  assert.equal(reopened.keyName, newName);
  assert.deepEqual(
    (await listRepositoryKeys(reopened)).map((key) => key.name),
    [newName],
  );
  await restoreSnapshot(reopened, snapshotId, join(dir, 'target'));
});

test('a repository whose password was just changed still refuses to remove its last key', async (t) => {
  const { repo, path } = await repoWithSnapshot(t);
  const newName = await changePassword(repo, OTHER, FAST_KDF);
  // The same open repository: its key in use is now the new one.
  await rejectsWithKind(removeKey(repo, newName), 'usage');
  assert.ok(await openRepo(path, OTHER), 'the repository must keep a key');
});
