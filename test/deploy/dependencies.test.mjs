// Each workspace declares exactly the packages its src imports (issue 12): one that works only
// because npm hoisted another workspace's dependency breaks as soon as that one drops it, and one
// declared but never imported is weight in every image.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT, read, workspaces } from './project.mjs';

/** Declared, used, and not imported: the file that uses each, which must name it. */
const USED_WITHOUT_IMPORT = {
  '@cairn/engine': { 'node-addon-api': 'native/binding.gyp' },
};

function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages a folder's code imports (static, type-only, dynamic, require), by package name. */
function importedPackages(dir) {
  const names = new Set();
  for (const file of sourceFiles(dir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.') || fileName.startsWith('node:')) continue;
      const parts = fileName.split('/');
      const name = fileName.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (!builtinModules.includes(name)) names.add(name);
    }
  }
  return names;
}

/** What a package requires of whoever installs it: its peer dependencies that are not optional (rxjs for NestJS). */
function peersOf(name) {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return [];
  const { peerDependencies = {}, peerDependenciesMeta = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
  return Object.keys(peerDependencies).filter((peer) => !peerDependenciesMeta[peer]?.optional);
}

for (const [name, folder] of workspaces()) {
  test(`${name} declares exactly the packages its src imports`, () => {
    const manifest = JSON.parse(read(join(folder, 'package.json')));
    const declared = Object.keys(manifest.dependencies ?? {});
    const imported = importedPackages(join(ROOT, folder, 'src'));
    const withoutImport = USED_WITHOUT_IMPORT[name] ?? {};
    for (const [dependency, file] of Object.entries(withoutImport))
      assert.match(
        read(join(folder, file)),
        new RegExp(dependency),
        `${folder}/${file} no longer uses ${dependency}`,
      );
    const peers = new Set([...imported].flatMap(peersOf));

    const missing = [...imported].filter((dependency) => !declared.includes(dependency)).sort();
    assert.deepEqual(missing, [], `${folder}/package.json lacks what its src imports`);
    const unused = declared
      .filter(
        (dependency) => !imported.has(dependency) && !peers.has(dependency) && !(dependency in withoutImport),
      )
      .sort();
    assert.deepEqual(unused, [], `${folder}/package.json declares what its src never imports`);
    // Type packages serve an import of the package they type.
    const types = Object.keys(manifest.devDependencies ?? {}).filter((dependency) =>
      dependency.startsWith('@types/'),
    );
    const untyped = types.filter((dependency) => !imported.has(dependency.slice('@types/'.length))).sort();
    assert.deepEqual(untyped, [], `${folder}/package.json has types for packages its src never imports`);
  });
}
