import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG } from '../src/index.js';

const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

test('an update patch carries only the fields sent: no defaults fill in the others', () => {
  assert.deepEqual(CATALOG.jobs.update.request.parse({ id, patch: { enabled: false } }).patch, {
    enabled: false,
  });
  assert.deepEqual(CATALOG.destinations.update.request.parse({ id, patch: {} }).patch, {});
  // Explicit null still means "remove the schedule", and validation still applies.
  assert.deepEqual(CATALOG.jobs.update.request.parse({ id, patch: { schedule: null } }).patch, {
    schedule: null,
  });
  assert.throws(() => CATALOG.jobs.update.request.parse({ id, patch: { packSizeMiB: 0 } }));
});
