import type { TestContext } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_TYPES } from '../src/backends/backend.js';
import { LocalBackend, openBackend, type Backend } from '../src/index.js';
import { fsTree, scratchDir } from './helpers.js';

type S3Support = typeof import('../../../test/support/s3-server.mjs');
const { startS3 } = (await import(
  fileURLToPath(new URL('../../../../test/support/s3-server.mjs', import.meta.url))
)) as S3Support;

/** Makes fresh, empty repository locations of one kind of destination. */
export type BackendFactory = (name: string) => Backend;

export interface BackendKind {
  name: string;
  /** Sets up the destination for one test (a temp folder, or s3rver) and returns a factory. */
  start(t: TestContext): Promise<BackendFactory>;
}

/** The crash and recovery guarantees must hold on every destination, not only on a local disk. */
export const BACKEND_KINDS: BackendKind[] = [
  {
    name: 'a local folder',
    async start(t) {
      const dir = await scratchDir(t, 'backends');
      return (name) => new LocalBackend(join(dir, name));
    },
  },
  {
    name: 'S3 (s3rver)',
    async start(t) {
      const server = await startS3();
      t.after(() => server.stop());
      return (name) => openBackend(server.url(name), { env: server.env, timeoutMs: 5000 });
    },
  },
];

/** Copies every file of a repository to an empty location, byte for byte, through the backends. */
export async function copyRepository(from: Backend, to: Backend): Promise<void> {
  await to.create();
  for (const type of ['config', ...FILE_TYPES] as const) {
    for (const { name } of await from.list(type)) await to.save(type, name, await from.load(type, name));
  }
}

/** Bytes of all packs at a location. */
export async function packBytes(backend: Backend): Promise<number> {
  return (await backend.list('pack')).reduce((sum, pack) => sum + pack.size, 0);
}

export { fsTree };
