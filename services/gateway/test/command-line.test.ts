import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Destination, Job } from '@cairn/contracts';
import { jobCommandLine } from '../src/jobs/command-line.js';

const STAMP = '2026-12-01T10:00:00.000Z';
const destination: Destination = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  name: 'NAS',
  url: '/mnt/nas',
  options: {},
  secrets: {},
  createdAt: STAMP,
  updatedAt: STAMP,
};
const job: Job = {
  id: '9b2e3f8a-1c4d-4e5f-8a6b-7c8d9e0f1a2b',
  name: 'Photos',
  sources: ['/source/photos'],
  excludes: [],
  destinationId: destination.id,
  repositoryPath: 'photos',
  schedule: null,
  verifySchedule: null,
  retention: { keepLast: 3 },
  limits: { uploadKiBps: 512 },
  compression: 'default',
  packSizeMiB: 16,
  minSourceFilesPercent: 50,
  passphrase: { set: true },
  enabled: true,
  channelIds: [],
  overdueAfterMinutes: null,
  createdAt: STAMP,
  updatedAt: STAMP,
};

test("the exported command line keeps the job's bandwidth limits on each command, and none without them", () => {
  const [backup, forget] = jobCommandLine(job, destination, 'cairn')
    .split('\n')
    .filter((line) => line.startsWith('cairn '));
  assert.match(backup!, /^cairn backup --repo \/mnt\/nas\/photos --limit-upload 512 --host cairn /);
  assert.match(forget!, /^cairn forget --repo \/mnt\/nas\/photos --limit-upload 512 --keep-last 3/);
  assert.doesNotMatch(jobCommandLine(job, destination, 'cairn'), /--limit-download/);
  assert.doesNotMatch(jobCommandLine({ ...job, limits: null }, destination, 'cairn'), /--limit-/);
});
