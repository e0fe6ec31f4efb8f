import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backup } from '../src/index.js';
import { initRepo, scratchDir } from './helpers.js';

const VICTIMS = 40;
const BACKUPS = 8;

/**
 * Flips each victim between a regular file and a symlink to the outside file, by atomic renames, until
 * its stdin closes (or a bounded number of rounds), and prints "ready" after the first round.
 */
const SWAPPER = `
const fs = require('node:fs');
const [dir, outside, victims] = process.argv.slice(1);
let stop = false;
process.stdin.on('close', () => (stop = true)).resume();
let round = 0;
const flip = () => {
  for (let i = 0; i < Number(victims); i++) {
    const victim = dir + '/victim-' + i;
    if (round % 2 === 0) {
      fs.writeFileSync(victim + '.new', 'inside ' + String(round).padStart(12, '0'));
      fs.renameSync(victim + '.new', victim);
    } else {
      fs.symlinkSync(outside, victim + '.link');
      fs.renameSync(victim + '.link', victim);
    }
  }
  if (round++ === 0) process.stdout.write('ready\\n');
  if (!stop && round < 1_000_000) setImmediate(flip);
};
flip();
`;

test('a file swapped for a symlink to an outside file while backups run is never stored', async (t) => {
  const source = await scratchDir(t, 'swap-source');
  const outsideDir = await scratchDir(t, 'swap-outside');
  const outside = join(outsideDir, 'secret');
  // Shorter than an inside file's content, so that even a read cut at the listed size would hold it.
  const marker = 'OUTSIDE-SECRET';
  await fs.writeFile(outside, marker.repeat(100));
  const repo = await initRepo(await scratchDir(t, 'swap-repo'));
  t.after(() => repo.close());

  const swapper = spawn(process.execPath, ['-e', SWAPPER, source, outside, String(VICTIMS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(swapper, 'exit');
  await once(swapper.stdout, 'data');
  let replaced = 0;
  try {
    for (let i = 0; i < BACKUPS; i++) {
      const result = await backup(repo, { paths: [source] });
      replaced += result.warnings.filter((warning) => /was replaced/.test(warning.message)).length;
    }
  } finally {
    swapper.stdin.end();
    await exited;
  }

  const leaked: string[] = [];
  for (const [id, location] of repo.index.entries()) {
    if (location.type === 'data' && (await repo.loadBlob(id)).includes(marker)) leaked.push(id);
  }
  assert.deepEqual(leaked, [], 'no stored blob holds the outside file');
  t.diagnostic(`${replaced} reads refused a swapped file`);
});
