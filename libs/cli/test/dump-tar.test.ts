import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { CAIRN, cliEnv, initRepository, runCli, scratchDir } from './cli.js';

/** Python's tarfile is strict about PAX: it refuses non-UTF-8 values unless hdrcharset says BINARY. */
const READ_WITH_PYTHON = `
import sys, tarfile, json
with tarfile.open(sys.argv[1], encoding='utf-8', errors='surrogateescape') as archive:
    out = {}
    for member in archive.getmembers():
        name = member.name.encode('utf-8', 'surrogateescape').hex()
        out[name] = repr(member.pax_headers.get('mtime', member.mtime))
    print(json.dumps(out))
`;

test('dump: pre-1970 times with nanoseconds and non-UTF-8 names read back in Python tarfile and GNU tar', async (t) => {
  const dir = await scratchDir(t, 'cli-dump-pax');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  const old = join(source, 'old.txt');
  await fs.writeFile(old, 'from 1960');
  // Node's utimes turns negative times into "now"; GNU touch sets them exactly.
  execFileSync('touch', ['-m', '-d', '1960-05-01 12:00:00.123456789 UTC', old]);
  const latin1 = Buffer.concat([Buffer.from(source + '/caf'), Buffer.from([0xe9]), Buffer.from('.txt')]);
  await fs.writeFile(latin1, 'latin-1 name');
  const repo = join(dir, 'repo');
  await initRepository(repo);
  assert.equal((await runCli(['backup', '--repo', repo, source])).code, 0);

  const tar = join(dir, 'out.tar');
  const child = spawn(process.execPath, [CAIRN, 'dump', '--repo', repo, 'latest', source], { env: cliEnv() });
  await pipeline(child.stdout, createWriteStream(tar));

  const members = JSON.parse(execFileSync('python3', ['-c', READ_WITH_PYTHON, tar]).toString()) as Record<
    string,
    string
  >;
  assert.equal(members[Buffer.from('source/old.txt').toString('hex')], "'-305121599.876543211'");
  assert.ok(
    Buffer.from('source/caf\u00e9.txt', 'latin1').toString('hex') in members,
    JSON.stringify(members),
  );

  const extracted = join(dir, 'extracted');
  await fs.mkdir(extracted);
  execFileSync('tar', ['-xpf', tar, '-C', extracted]);
  const stat = await fs.stat(join(extracted, 'source', 'old.txt'), { bigint: true });
  assert.equal(stat.mtimeNs, (await fs.stat(old, { bigint: true })).mtimeNs);
  assert.equal(
    (
      await fs.readFile(
        Buffer.concat([Buffer.from(extracted + '/source/caf'), Buffer.from([0xe9, 0x2e, 0x74, 0x78, 0x74])]),
      )
    ).toString(),
    'latin-1 name',
  );
});
