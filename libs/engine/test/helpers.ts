import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CairnError,
  findSnapshot,
  LocalBackend,
  Repository,
  restore,
  type ErrorKind,
  type InitOptions,
  type KdfParams,
  type OpenOptions,
  type RestoreResult,
} from '../src/index.js';

import { readPackHeader, unpaddedPackSize } from '../src/pack/pack.js';

type FsTree = typeof import('../../../test/support/fs-tree.mjs');
export type { TreeDescription } from '../../../test/support/fs-tree.mjs';

// The shared helper is plain ESM at the repository root; this file runs from libs/engine/dist/test.
export const fsTree = (await import(
  fileURLToPath(new URL('../../../../test/support/fs-tree.mjs', import.meta.url))
)) as FsTree;

/** Where the compiled engine is, for child processes that must run it outside this test process. */
export const ENGINE_ENTRY = fileURLToPath(new URL('../src/index.js', import.meta.url));

export const PASSWORD = 'correct horse battery staple';
/** scrypt at 1 MiB instead of 64 MiB: unlocking is not what these tests measure. */
export const FAST_KDF: KdfParams = { N: 1024, r: 8, p: 1 };
export const MiB = 1024 * 1024;

/** A temp folder removed when the test ends. */
export async function scratchDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await fsTree.makeTempDir(prefix);
  t.after(() => fsTree.removeDir(dir));
  return dir;
}

export function initRepo(path: string, options: InitOptions & OpenOptions = {}): Promise<Repository> {
  return Repository.init(new LocalBackend(path), PASSWORD, { kdf: FAST_KDF, ...options });
}

export function openRepo(path: string, password = PASSWORD, options: OpenOptions = {}): Promise<Repository> {
  return Repository.open(new LocalBackend(path), password, options);
}

/**
 * Asserts that `action` (a promise, or a function that throws or returns a promise) fails with a
 * CairnError of `kind`; returns it for further checks.
 */
export async function rejectsWithKind(
  action: Promise<unknown> | (() => unknown),
  kind: ErrorKind,
): Promise<CairnError> {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CairnError, `expected a CairnError of kind ${kind}, got ${String(caught)}`);
  assert.equal(caught.kind, kind, `wrong kind for: ${caught.message}`);
  return caught;
}

export async function restoreSnapshot(
  repo: Repository,
  snapshotId: string,
  target: string,
  include?: string[],
): Promise<RestoreResult> {
  return restore(repo, await findSnapshot(repo, snapshotId), { target, ...(include ? { include } : {}) });
}

/** A snapshot stores absolute paths, so a restored source lies at target + source path. */
export function restoredPath(target: string, source: string): string {
  return join(target, source);
}

/**
 * Bytes the packs hold without their padding (blobs, headers), read from the pack headers: what a
 * backup stored, for tests that count re-uploads, whether an index lists the packs or not.
 */
export async function unpaddedPackBytes(repo: Repository): Promise<number> {
  let bytes = 0;
  for (const pack of await repo.backend.list('pack')) {
    const blobs = await readPackHeader(repo.backend, repo.keyObjects.encryption, pack.name, pack.size);
    bytes += unpaddedPackSize(
      blobs.length,
      blobs.reduce((sum, blob) => sum + blob.length, 0),
    );
  }
  return bytes;
}
