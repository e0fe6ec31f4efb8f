// What the deployment tests read: the compose file, .env.example, the workspaces and their sources.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER = join(ROOT, 'deploy', 'cairn-server.mjs');

/** Runs deploy/cairn-server.mjs with exactly `env`; a run that outlasts `timeoutMs` is killed. */
export function cairnServer(args, env, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, ...args], { env, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function read(path) {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** docker-compose.yml as compose sees it: `<<` merges resolved. */
export function compose() {
  return parse(read('docker-compose.yml'), { merge: true });
}

/** The compose services that run the Cairn image, by compose name. */
export function cairnServices() {
  return Object.entries(compose().services).filter(
    ([, service]) => service.build?.dockerfile === 'deploy/Dockerfile',
  );
}

/** Names of an `environment:` section, in its map or its list form. */
export function environmentNames(environment = {}) {
  return Array.isArray(environment)
    ? environment.map((entry) => entry.split('=')[0])
    : Object.keys(environment);
}

/** Variables that .env.example documents, set or commented out. */
export function envExampleNames() {
  return [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
}

/** Workspaces by package name, with their folders. */
export function workspaces() {
  const folders = JSON.parse(read('package.json')).workspaces;
  return new Map(folders.map((folder) => [JSON.parse(read(join(folder, 'package.json'))).name, folder]));
}

/** The TypeScript a service runs: its own src and that of every workspace it depends on. */
export function sourceText(serviceFolder) {
  const all = workspaces();
  const deps = Object.keys(JSON.parse(read(join(serviceFolder, 'package.json'))).dependencies ?? {});
  const folders = [serviceFolder, ...deps.filter((dep) => all.has(dep)).map((dep) => all.get(dep))];
  return folders
    .flatMap((folder) => tsFiles(join(ROOT, folder, 'src')))
    .map((file) => withoutComments(readFileSync(file, 'utf8')))
    .join('\n');
}

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A variable named only in a comment is not one the code reads. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** The values .env.example sets (the commented-out ones stay unset). */
export function envExampleValues() {
  return Object.fromEntries(
    [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name, value]),
  );
}

/**
 * A service's environment as compose would hand it over, given the values of .env: `${NAME}`,
 * `${NAME:-default}` and `${NAME:?message}` resolved; `NAME:` with no value passed through when set.
 */
export function interpolatedEnvironment(service, dotEnv) {
  const resolve = (text) =>
    String(text).replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name, kind, rest) => {
      if (dotEnv[name]) return dotEnv[name];
      if (kind === '?') throw new Error(`compose would refuse to start: ${rest}`);
      return kind === '-' ? rest : '';
    });
  const entries = Object.entries(service.environment ?? {}).flatMap(([name, value]) =>
    value === null ? (dotEnv[name] ? [[name, dotEnv[name]]] : []) : [[name, resolve(value)]],
  );
  return Object.fromEntries(entries);
}
