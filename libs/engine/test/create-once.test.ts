import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test, type TestContext } from 'node:test';
import {
  backup,
  check,
  isCairnError,
  listSnapshots,
  LocalBackend,
  openBackend,
  Repository,
  type Backend,
} from '../src/index.js';
import { wrapMasterKeys, generateMasterKeys } from '../src/crypto/keys.js';
import { fileId } from '../src/crypto/ids.js';
import { FAST_KDF, PASSWORD, rejectsWithKind, scratchDir } from './helpers.js';

type S3Support = typeof import('../../../test/support/s3-server.mjs');
type SftpSupport = typeof import('../../../test/support/sftp-server.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const { startS3 } = (await import(support('s3-server.mjs'))) as S3Support;
const { startSftp } = (await import(support('sftp-server.mjs'))) as SftpSupport;

/** One fresh location per test, opened as often as there are contenders (each its own connections). */
interface Destination {
  name: string;
  start(t: TestContext): Promise<() => Backend>;
}

const DESTINATIONS: Destination[] = [
  {
    name: 'a local folder',
    async start(t) {
      const dir = await scratchDir(t, 'create-once');
      return () => new LocalBackend(dir);
    },
  },
  {
    name: 'S3 (s3rver, which ignores If-None-Match)',
    async start(t) {
      const server = await startS3();
      const url = server.url('race');
      return closedBeforeStop(t, () => openBackend(url, { env: server.env, timeoutMs: 5000 }), server);
    },
  },
  {
    name: 'SFTP (OpenSSH)',
    async start(t) {
      const server = await startSftp();
      const url = server.url('race');
      return closedBeforeStop(t, () => openBackend(url, { env: server.env, timeoutMs: 5000 }), server);
    },
  },
];

/** Opens backends that are all closed when the test ends, before the server stops. */
function closedBeforeStop(t: TestContext, open: () => Backend, server: { stop(): Promise<void> }) {
  const opened: Backend[] = [];
  t.after(async () => {
    await Promise.all(opened.map((backend) => backend.close()));
    await server.stop();
  });
  return () => {
    const backend = open();
    opened.push(backend);
    return backend;
  };
}

for (const kind of DESTINATIONS) {
  describe(`repository creation on ${kind.name} happens exactly once`, () => {
    test('a create-if-absent save has one winner among five; the file holds its bytes', async (t) => {
      const at = await kind.start(t);
      const backends = Array.from({ length: 5 }, at);
      await backends[0]!.create();
      const contents = backends.map((_, i) => Buffer.from(`{"contender":${i}}\n`));
      const outcomes = await Promise.allSettled(
        backends.map((backend, i) => backend.save('config', 'config', contents[i]!, { ifAbsent: true })),
      );
      const reader = at();
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      assert.equal(winners.length, 1, 'exactly one save succeeds');
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.ok(isCairnError(outcome.reason, 'already-exists'));
      }
      assert.ok((await reader.load('config', 'config')).equals(contents[winners[0]!]!));
      await rejectsWithKind(
        reader.save('config', 'config', Buffer.from('{}'), { ifAbsent: true }),
        'already-exists',
      );
    });

    for (const contenders of [2, 5]) {
      test(`${contenders} simultaneous inits: one repository, every run's snapshot readable`, async (t) => {
        const at = await kind.start(t);
        const sources = await scratchDir(t, 'race-sources');
        const backends = Array.from({ length: contenders }, at);
        const outcomes = await Promise.allSettled(
          backends.map((backend) => Repository.init(backend, PASSWORD, { kdf: FAST_KDF })),
        );
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        assert.equal(winners.length, 1, 'exactly one init succeeds');
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            assert.ok(isCairnError(outcome.reason, 'repository-exists'), String(outcome.reason));
          }
        }
        // As a runner does: the winner backs up into its repository, each loser opens the winner's.
        for (const [i, outcome] of outcomes.entries()) {
          const source = join(sources, `run-${i}`);
          await fs.mkdir(source);
          await fs.writeFile(join(source, 'file.txt'), `run ${i}\n`);
          const repo =
            outcome.status === 'fulfilled' ? outcome.value : await Repository.open(backends[i]!, PASSWORD);
          const result = await backup(repo, { paths: [source] });
          assert.deepEqual(result.warnings, []);
        }
        const reader = at();
        assert.equal((await reader.list('key')).length, 1, 'the losers removed their keys');
        const repo = await Repository.open(reader, PASSWORD);
        assert.equal((await listSnapshots(repo)).length, contenders);
        const checked = await check(repo, { readData: true });
        assert.deepEqual(checked.errors, []);
      });
    }
  });
}

describe('keys of another repository id', () => {
  test('a key left by a losing init (same password, other id) does not stop the open', async (t) => {
    const dir = await scratchDir(t, 'foreign-key');
    const repo = await Repository.init(new LocalBackend(dir), PASSWORD, { kdf: FAST_KDF });
    const stray = await wrapMasterKeys(generateMasterKeys(), 'f'.repeat(64), PASSWORD, FAST_KDF);
    const bytes = Buffer.from(JSON.stringify(stray));
    await repo.backend.save('key', fileId(bytes), bytes);
    const opened = await Repository.open(new LocalBackend(dir), PASSWORD);
    assert.deepEqual(opened.keys, repo.keys);
  });
});
