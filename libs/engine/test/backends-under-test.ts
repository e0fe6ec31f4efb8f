import type { TestContext } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_TYPES } from '../src/backends/backend.js';
import { LocalBackend, openBackend, type Backend } from '../src/index.js';
import { fsTree, scratchDir } from './helpers.js';

type S3Support = typeof import('../../../test/support/s3-server.mjs');
type MinioSupport = typeof import('../../../test/support/minio-server.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const { startS3 } = (await import(support('s3-server.mjs'))) as S3Support;
const { startMinio } = (await import(support('minio-server.mjs'))) as MinioSupport;

export type S3Server = Awaited<ReturnType<S3Support['startS3']>>;

/**
 * The S3 servers the S3 guarantees are proved on: s3rver, a test double that keeps `aws-chunked`
 * uploads verbatim, and MinIO, a real server that NAS users run.
 */
export const S3_SERVERS: { name: string; start(): Promise<S3Server> }[] = [
  { name: 's3rver', start: startS3 },
  { name: 'MinIO', start: startMinio },
];

/** Makes fresh, empty repository locations of one kind of destination. */
export type BackendFactory = (name: string) => Backend;

export interface BackendKind {
  name: string;
  /** Sets up the destination for one test (a temp folder, or an S3 server) and returns a factory. */
  start(t: TestContext): Promise<BackendFactory>;
}

const LOCAL_FOLDER: BackendKind = {
  name: 'a local folder',
  async start(t) {
    const dir = await scratchDir(t, 'backends');
    return (name) => new LocalBackend(join(dir, name));
  },
};

function s3Kind({ name, start }: (typeof S3_SERVERS)[number]): BackendKind {
  return {
    name: `S3 (${name})`,
    async start(t) {
      const server = await start();
      t.after(() => server.stop());
      return (location) => openBackend(server.url(location), { env: server.env, timeoutMs: 5000 });
    },
  };
}

/** The crash and recovery guarantees must hold on every destination, not only on a local disk. */
export const BACKEND_KINDS: BackendKind[] = [LOCAL_FOLDER, s3Kind(S3_SERVERS[0]!)];

/** Every S3 server too: for the guarantees whose failures a real server could show differently. */
export const BACKEND_KINDS_ALL_S3: BackendKind[] = [LOCAL_FOLDER, ...S3_SERVERS.map(s3Kind)];

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
