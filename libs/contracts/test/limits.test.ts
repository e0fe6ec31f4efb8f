import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobInput, JobPatch } from '../src/index.js';

const input = {
  name: 'Photos',
  sources: ['/source/photos'],
  destinationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  passphrase: 'correct horse battery',
};

test('bandwidth limits: none by default, whole KiB/s above 0, anything else refused naming the field', () => {
  assert.equal(JobInput.parse(input).limits, null);
  assert.deepEqual(JobInput.parse({ ...input, limits: { uploadKiBps: 512 } }).limits, { uploadKiBps: 512 });
  for (const [value, message] of [
    [0, /at least 1 KiB\/s; leave it out for no limit/],
    [-5, /at least 1 KiB\/s/],
    [1.5, /a whole number of KiB\/s/],
    ['512', /number/],
  ] as const) {
    const result = JobInput.safeParse({ ...input, limits: { downloadKiBps: value } });
    assert.equal(result.success, false, `${value} should be refused`);
    assert.equal(result.error!.issues[0]!.path.join('.'), 'limits.downloadKiBps');
    assert.match(result.error!.issues[0]!.message, message);
  }
  // A patch that leaves the limits out leaves them as they are; null removes them.
  assert.equal('limits' in JobPatch.parse({ enabled: false }), false);
  assert.equal(JobPatch.parse({ limits: null }).limits, null);
});
