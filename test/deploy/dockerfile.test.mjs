// deploy/Dockerfile cannot be built where there is no Docker engine, so it is read instead: whatever
// it copies from the repository must be there, and the image must hold what its commands run.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, read, workspaces } from './project.mjs';

/** Instructions with their arguments, continuation lines joined. */
function instructions() {
  return read('deploy/Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => {
      const [keyword, ...args] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args };
    });
}

/** COPY instructions that take from the build context, as [sources, destination]. */
function contextCopies() {
  return instructions()
    .filter(({ keyword, args }) => keyword === 'COPY' && !args.some((arg) => arg.startsWith('--from')))
    .map(({ args }) => {
      const paths = args.filter((arg) => !arg.startsWith('--'));
      return [paths.slice(0, -1), paths.at(-1)];
    });
}

test('the Dockerfile builds on Node 24 in two stages', () => {
  const stages = instructions().filter(({ keyword }) => keyword === 'FROM');
  assert.equal(stages.length, 2);
  for (const { args } of stages) assert.match(args[0], /^node:24(-|$)/);
  assert.ok(instructions().some(({ keyword, args }) => keyword === 'USER' && args[0] !== 'root'));
});

test('every file the Dockerfile copies from the repository exists', () => {
  for (const [sources] of contextCopies()) {
    for (const source of sources) assert.ok(existsSync(join(ROOT, source)), source);
  }
});

test('every workspace manifest is copied before npm ci, so that npm ci sees the whole tree', () => {
  const copied = contextCopies().flatMap(([sources]) => sources);
  for (const folder of workspaces().values()) assert.ok(copied.includes(`${folder}/package.json`), folder);
});

test('the image holds cairn-server and every local module it loads, and the cairn CLI', () => {
  const copied = contextCopies().flatMap(([sources]) => sources);
  const pending = ['deploy/cairn-server.mjs'];
  for (const file of pending) {
    assert.ok(copied.includes(file), `${file} is not copied into the image`);
    for (const [, local] of read(file).matchAll(/(?:from |import\()'\.\/([^']+)'/g)) {
      if (!pending.includes(`deploy/${local}`)) pending.push(`deploy/${local}`);
    }
  }
  const text = read('deploy/Dockerfile');
  for (const [link, target] of [
    ['cairn-server', 'deploy/cairn-server.mjs'],
    ['cairn', `libs/cli/${JSON.parse(read('libs/cli/package.json')).bin.cairn}`],
  ]) {
    assert.ok(text.includes(`ln -s /app/${target} /usr/local/bin/${link}`), `${link} on PATH`);
    // Run through the link by its #! line, so it must be executable (git keeps the mode).
    assert.ok(statSync(join(ROOT, target)).mode & 0o100, `${target} is executable`);
  }
  const entrypoint = instructions().find(({ keyword }) => keyword === 'ENTRYPOINT');
  assert.deepEqual(JSON.parse(entrypoint.args.join(' ')), ['cairn-server']);
});

test('the image builds the web app and the gateway serves it from CAIRN_UI_DIR', () => {
  const text = read('deploy/Dockerfile').replace(/\\\n/g, ' ');
  const copied = contextCopies().flatMap(([sources]) => sources);
  for (const file of ['frontend/package.json', 'frontend/package-lock.json', 'frontend'])
    assert.ok(copied.includes(file), `${file} is copied`);
  assert.match(text, /npm install --prefix frontend --no-save/);
  assert.match(text, /ng build/);
  const built = /mv frontend\/dist\/browser (\S+)/.exec(text)?.[1];
  assert.ok(built, 'the built app is kept');
  const uiDir = /CAIRN_UI_DIR=(\S+)/.exec(text)?.[1];
  assert.equal(uiDir, built, 'CAIRN_UI_DIR names the folder the app was moved to');
  // The frontend's own build output must come from the image's build, not from the context.
  assert.match(read('.dockerignore'), /\*\*\/dist/);
});
