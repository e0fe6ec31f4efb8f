// Runs node-gyp against the headers of exactly the Node that runs Cairn. npm's own `nodedir` setting
// may name another Node's headers (on these machines Node 20's), and Node 24 refuses an addon built
// against them. Shared by the scripts that build native addons at install time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function headerMajor(dir) {
  const file = join(dir, 'include/node/node_version.h');
  return existsSync(file)
    ? /define NODE_MAJOR_VERSION (\d+)/.exec(readFileSync(file, 'utf8'))?.[1]
    : undefined;
}

/**
 * Builds the addon whose binding.gyp is in `cwd`; returns undefined, or why it could not be built.
 * Needs python3, make and g++.
 */
export function nodeGypRebuild(cwd, args = []) {
  // Headers of this Node: the `node` dev dependency's platform package ships them, and so does an
  // official Node installation next to its binary (the node:24 image, for one).
  const prefix = dirname(dirname(process.execPath));
  const candidates = [
    join(ROOT, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`),
    prefix,
  ];
  const headers = candidates.find((dir) => headerMajor(dir) === process.versions.node.split('.')[0]);
  if (!headers) return `no headers for Node ${process.version} in ${candidates.join(' or ')}: run "npm ci"`;
  const nodeGyp = [
    process.env.npm_config_node_gyp,
    join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ]
    .filter(Boolean)
    .find((path) => existsSync(path));
  if (!nodeGyp) return 'node-gyp not found: run this through npm ("npm ci")';
  const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${headers}`, ...args], {
    cwd,
    encoding: 'utf8',
    // npm passes its own nodedir setting down as npm_config_nodedir, which node-gyp prefers to the
    // flag; the binding.gyp's `node -p` must be this Node too.
    env: {
      ...process.env,
      npm_config_nodedir: headers,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    },
  });
  if (build.status === 0) return undefined;
  process.stderr.write(build.stdout + build.stderr);
  return 'node-gyp could not build the binding (it needs make, g++ and python3)';
}
