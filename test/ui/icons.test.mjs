// The app's icon font is a subset (frontend/scripts/icons.mjs): an icon named in a template but
// missing from it would show as a word. The browser tests check the icons they see are drawn.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { literalIconNames, SUBSET_FONT, SUBSET_NAMES } from '../../frontend/scripts/icons.mjs';

test('every icon a template names is in the cut-down icon font', () => {
  const inFont = new Set(JSON.parse(readFileSync(SUBSET_NAMES, 'utf8')));
  const missing = [...literalIconNames()].filter((name) => !inFont.has(name));
  assert.deepEqual(missing, [], 'run node frontend/scripts/icons.mjs (needs Debian fonttools)');
});

test('the icon font stays small: a subset, not the 4 MB font', () => {
  assert.ok(statSync(SUBSET_FONT).size < 300 * 1024, `${statSync(SUBSET_FONT).size} bytes`);
});
