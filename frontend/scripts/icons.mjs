// The icon font holds only the icons the app uses: the full Material Symbols font is 4 MB, a
// subset a few dozen kB. `node scripts/icons.mjs` rewrites the subset after icons change; it needs
// Debian's fonttools (apt-get install fonttools). test/ui/icons.test.mjs checks it is up to date.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));
const FULL_FONT = join(FRONTEND, 'node_modules/material-symbols/material-symbols-outlined.woff2');
export const SUBSET_FONT = join(FRONTEND, 'src/icons/material-symbols-outlined.subset.woff2');
export const SUBSET_NAMES = join(FRONTEND, 'src/icons/icons.json');

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|html)$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) yield path;
  }
}

/** Icon names written out in a template, `<mat-icon>name</mat-icon>`: these must be in the font. */
export function literalIconNames(dir = join(FRONTEND, 'src/app')) {
  const names = new Set();
  for (const file of sourceFiles(dir)) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(
      /<mat-icon[^>]*>\s*([a-z0-9_]+)\s*<\/mat-icon>/g,
    ))
      names.add(name);
  }
  return names;
}

/** Every word that could name an icon: the literals above, and quoted words (icons chosen in code). */
function candidateNames(dir = join(FRONTEND, 'src/app')) {
  const names = literalIconNames(dir);
  for (const file of sourceFiles(dir)) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/['"]([a-z][a-z0-9_]*)['"]/g)) names.add(name);
  }
  return names;
}

function glyphNames(font) {
  const script =
    'import sys\nfrom fontTools.ttLib import TTFont\nprint("\\n".join(TTFont(sys.argv[1]).getGlyphOrder()))';
  return new Set(execFileSync('/usr/bin/python3', ['-c', script, font], { encoding: 'utf8' }).split('\n'));
}

function subset() {
  const glyphs = glyphNames(FULL_FONT);
  // Single letters are glyph names too (the ligatures' parts), not icons.
  const icons = [...candidateNames()].filter((name) => name.length > 1 && glyphs.has(name)).sort();
  // The filled variant of an icon is a glyph of its own, picked by the FILL axis.
  const keep = icons.flatMap((name) => (glyphs.has(`${name}.fill`) ? [name, `${name}.fill`] : [name]));
  execFileSync('pyftsubset', [
    FULL_FONT,
    `--glyphs=${keep.join(',')}`,
    // The letters an icon's name is typed with: the ligatures turn them into the icon.
    '--text=abcdefghijklmnopqrstuvwxyz0123456789_',
    // Without this, every ligature of the letters kept would come back: the whole font again.
    '--no-layout-closure',
    '--layout-features=*',
    '--flavor=woff2',
    `--output-file=${SUBSET_FONT}`,
  ]);
  writeFileSync(SUBSET_NAMES, `${JSON.stringify(icons, null, 2)}\n`);
  console.log(`icons: ${icons.length} icons in ${SUBSET_FONT}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) subset();
