import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf, formatBytes, formatDuration, listInWords } from '../src/index.js';

test('sizes in binary units, as the web app and the reports both show them', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(420 * 1024 * 1024), '420.0 MiB');
  assert.equal(formatBytes(1.5e9), '1.40 GiB');
  assert.equal(formatBytes(undefined), '—');
});

test('durations as "1 min 5 s", never "1m 5s"', () => {
  assert.equal(formatDuration(350), '350 ms');
  assert.equal(formatDuration(65_000), '1 min 5 s');
  assert.equal(formatDuration(7_500_000), '2 h 5 min');
  assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3 d 4 h');
  assert.equal(formatDuration(-1), '—');
});

test('counts agree with their noun', () => {
  assert.equal(countOf(1, 'snapshot'), '1 snapshot');
  assert.equal(countOf(0, 'pack'), '0 packs');
  assert.equal(countOf(2, 'attempt'), '2 attempts');
  assert.equal(countOf(1200, 'file'), '1,200 files');
  assert.equal(countOf(2, 'copy', 'copies'), '2 copies');
});

test('a list in a sentence', () => {
  assert.equal(listInWords([]), '');
  assert.equal(listInWords(['"Mail"']), '"Mail"');
  assert.equal(listInWords(['"Mail"', '"Photos"']), '"Mail" and "Photos"');
  assert.equal(listInWords(['1 day', '2 weeks', '3 months']), '1 day, 2 weeks and 3 months');
});
