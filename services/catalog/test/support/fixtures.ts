import { randomBytes } from 'node:crypto';
import type { DestinationInput, JobInput } from '@cairn/contracts';

/** A name no other test row has. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export const destinationInput = (overrides: Partial<DestinationInput> = {}): DestinationInput => ({
  name: unique('destination'),
  url: 's3://minio.local:9000/backups/photos',
  options: { region: 'eu-west-1' },
  secrets: { accessKeyId: 'AKIA-TEST', secretAccessKey: 'not-a-real-secret' },
  ...overrides,
});

export const jobInput = (destinationId: string, overrides: Partial<JobInput> = {}): JobInput => ({
  name: unique('job'),
  sources: ['/source/photos'],
  excludes: ['*.tmp'],
  destinationId,
  schedule: { cron: '30 2 * * *', timezone: 'Europe/Berlin' },
  verifySchedule: null,
  limits: null,
  retention: { keepDaily: 7, keepWeekly: 4 },
  compression: 'default',
  packSizeMiB: 16,
  minSourceFilesPercent: 50,
  passphrase: 'correct horse battery staple',
  enabled: true,
  ...overrides,
});
