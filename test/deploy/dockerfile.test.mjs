// deploy/Dockerfile read as text: whatever it copies from the repository must be there, and the image
// must hold what its commands run. (test/docker/stack.test.mjs builds it and runs the stack.)
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

/** The defaults of the build arguments declared before the first FROM. */
function globalArgs() {
  const all = instructions();
  const globals = all.slice(
    0,
    all.findIndex(({ keyword }) => keyword === 'FROM'),
  );
  return Object.fromEntries(
    globals.filter(({ keyword }) => keyword === 'ARG').map(({ args }) => args[0].split('=')),
  );
}

test('the Dockerfile builds in two stages on official Node 24 images of one Debian release', () => {
  const stages = instructions().filter(({ keyword }) => keyword === 'FROM');
  assert.equal(stages.length, 2);
  const images = stages.map(({ args }) => args[0].replace(/^\$\{(\w+)\}$/, (_, name) => globalArgs()[name]));
  for (const image of images) assert.match(image, /^node:24-bookworm(-slim)?$/, 'a base image argument');
  assert.equal(new Set(images.map((image) => image.split('-')[1])).size, 1, 'both on one Debian release');
  assert.ok(instructions().some(({ keyword, args }) => keyword === 'USER' && args[0] !== 'root'));
});

test("the build stage builds ssh2's native binding and takes a CA that the image never holds", () => {
  const all = instructions();
  const runtime = all.findLastIndex(({ keyword }) => keyword === 'FROM');
  const text = read('deploy/Dockerfile').replace(/\\\n/g, ' ');
  assert.match(text, /node libs\/engine\/scripts\/build-ssh2-crypto\.mjs/);
  const mentions = all.flatMap(({ args }, index) =>
    args.join(' ').includes('EXTRA_CA_CERTS') ? [index] : [],
  );
  assert.ok(mentions.length > 0);
  for (const index of mentions) assert.ok(index < runtime, 'EXTRA_CA_CERTS is used in the build stage only');
});

test('the image checks its own health and is labelled', () => {
  const healthcheck = instructions().find(({ keyword }) => keyword === 'HEALTHCHECK');
  assert.ok(healthcheck, 'HEALTHCHECK');
  assert.match(healthcheck.args.join(' '), /--start-period=\S+ .*CMD \["cairn-server", "health"\]/);
  const text = read('deploy/Dockerfile');
  for (const label of ['title', 'description', 'licenses', 'version'])
    assert.match(text, new RegExp(`org\\.opencontainers\\.image\\.${label}=`), label);
  for (const folder of ['/source', '/backups', '/restore', '/cache'])
    assert.ok(text.includes(folder), folder);
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
  const pending = ['deploy/cairn-server.mjs', 'deploy/entrypoint.sh'];
  for (const file of pending) {
    assert.ok(copied.includes(file), `${file} is not copied into the image`);
    for (const [, local] of read(file).matchAll(/(?:from |import\()'\.\/([^']+)'/g)) {
      if (!pending.includes(`deploy/${local}`)) pending.push(`deploy/${local}`);
    }
  }
  const text = read('deploy/Dockerfile');
  for (const [link, target] of [
    ['cairn-server', 'deploy/cairn-server.mjs'],
    ['cairn-entrypoint', 'deploy/entrypoint.sh'],
    ['cairn', `libs/cli/${JSON.parse(read('libs/cli/package.json')).bin.cairn}`],
  ]) {
    assert.ok(text.includes(`ln -s /app/${target} /usr/local/bin/${link}`), `${link} on PATH`);
    // Run through the link by its #! line, so it must be executable (git keeps the mode).
    assert.ok(statSync(join(ROOT, target)).mode & 0o100, `${target} is executable`);
  }
  const entrypoint = instructions().find(({ keyword }) => keyword === 'ENTRYPOINT');
  assert.deepEqual(JSON.parse(entrypoint.args.join(' ')), ['cairn-entrypoint']);
  assert.match(read('deploy/entrypoint.sh'), /exec setpriv .* -- cairn-server "\$@"/);
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
