// What the deployment tests read: the compose file, .env.example, the workspaces and their sources.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
