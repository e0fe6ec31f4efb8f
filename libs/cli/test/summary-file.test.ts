// `cairn backup --summary-file`: the summary where a Kubernetes pod's termination message is read
// from (the volume controller takes a backup pod's figures from it).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, scratchDir } from './cli.js';

test('backup --summary-file writes the summary there, warnings counted; an unwritable one is a warning, the snapshot saved', async (t) => {
  const dir = await scratchDir(t, 'cli-summary-file');
  const source = join(dir, 'source');
  const repo = join(dir, 'repo');
  await fs.mkdir(source);
  await fs.writeFile(join(source, 'a.txt'), 'alpha');
  await fs.writeFile(join(source, 'b.txt'), 'beta');
  assert.equal((await runCli(['init', '--repo', repo])).code, 0);

  const file = join(dir, 'termination-log');
  const result = await runCli(['backup', '--repo', repo, source, '--json', '--summary-file', file]);
  assert.equal(result.code, 0, result.stderr);
  const printed = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.message_type === 'summary')!;
  const written = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  assert.equal(written.message_type, 'summary');
  assert.equal(written.snapshot_id, printed.snapshot_id);
  assert.equal(written.filesNew, 2);
  assert.equal(written.bytesAdded, printed.bytesAdded);
  assert.equal(written.warnings, 0, 'counted, not listed');

  const unwritable = await runCli([
    'backup',
    '--repo',
    repo,
    source,
    '--summary-file',
    join(dir, 'no', 'such'),
  ]);
  assert.equal(unwritable.code, 3, unwritable.stderr);
  assert.match(unwritable.stderr, /cannot write the summary to .*no\/such: ENOENT/);
  assert.match(unwritable.stdout, /snapshot [0-9a-f]{8} saved/);
});
