/** A job as `GET /jobs/:id/export` answers it. */
export const EXPORTED = {
  version: 1,
  job: {
    name: 'Documents',
    sources: ['/srv/documents'],
    excludes: [],
    schedule: { cron: '30 2 * * *', timezone: 'UTC' },
    retention: null,
    compression: 'default',
    packSizeMiB: 16,
    repositoryPath: 'documents',
    enabled: true,
  },
  destination: { name: 'NAS share', url: '/mnt/backups', options: {} },
};
