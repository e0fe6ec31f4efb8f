import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunProgress } from '@cairn/contracts';
import { ProgressReporter } from '../src/utils/progress-reporter.js';

test("a phase's last figures are published before the next phase starts, however soon", () => {
  const published: RunProgress[] = [];
  // An interval far longer than the test: only phase changes and stop() publish.
  const reporter = new ProgressReporter('run-1', (progress) => published.push(progress), 3_600_000);
  reporter.update('backup', { filesDone: 8, filesTotal: 9, bytesDone: 418, bytesTotal: 420 });
  reporter.update('backup', { filesDone: 9, filesTotal: 9, bytesDone: 420, bytesTotal: 420 });
  reporter.update('forget');
  reporter.stop();
  assert.deepEqual(
    published.map(({ phase, filesDone, bytesDone }) => [phase, filesDone, bytesDone]),
    [
      ['backup', 9, 420],
      ['forget', 0, 0],
    ],
  );
});
