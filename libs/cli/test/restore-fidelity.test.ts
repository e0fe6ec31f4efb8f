import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliEnv, runCli, scratchDir, type CliOptions } from './cli.js';

type MetadataTree = typeof import('../../../test/support/metadata-tree.mjs');
const { buildMetadataTree, describeMetadata } = (await import(
  fileURLToPath(new URL('../../../../test/support/metadata-tree.mjs', import.meta.url))
)) as MetadataTree;

const NOBODY = 65534;

describe('cairn backup and restore keep every piece of metadata', () => {
  if (process.getuid?.() !== 0)
    throw new Error('these tests make files of other owners and must run as root');

  for (const [who, asUser] of [
    ['root', undefined],
    ['a normal user', NOBODY],
  ] as const) {
    test(`as ${who}: ns and pre-1970 times, atimes, xattrs, ACLs, holes (stat, getfattr, getfacl, du)`, async (t) => {
      const dir = await scratchDir(t, 'cli-fidelity');
      await fs.chmod(dir, 0o755); // a normal user must reach the folders inside
      const [source, repo, target] = ['source', 'repo', 'target'].map((name) => join(dir, name)) as [
        string,
        string,
        string,
      ];
      for (const folder of [source, repo, target]) await fs.mkdir(folder);
      await buildMetadataTree(source, { owner: asUser ?? 0, privileged: asUser === undefined });
      if (asUser !== undefined) execFileSync('chown', [`${asUser}:${asUser}`, repo, target]);
      const expected = describeMetadata(source);
      const options: CliOptions = { env: cliEnv({ HOME: dir }), ...(asUser ? { asUser } : {}) };

      const init = await runCli(['init', '--repo', repo], options);
      assert.equal(init.code, 0, init.stderr);
      const saved = await runCli(['backup', '--repo', repo, source], options);
      assert.equal(saved.code, 0, saved.stderr);
      const restored = await runCli(['restore', '--repo', repo, 'latest', '--target', target], options);
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(restored.stderr, '');

      const actual = describeMetadata(join(target, source));
      assert.deepEqual(actual.stat, expected.stat);
      assert.equal(actual.xattrs, expected.xattrs);
      assert.equal(actual.acls, expected.acls);
      assert.equal(actual.du, expected.du);
      // Content last: reading it moves atimes.
      execFileSync('diff', ['-r', '--no-dereference', '--exclude=fifo', source, join(target, source)]);
    });
  }
});
