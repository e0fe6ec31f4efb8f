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

/** A job as Duplicati's "Export → As file" writes it, with its passwords. */
export const DUPLICATI_EXPORTED = {
  CreatedByVersion: '2.1.0.5',
  Schedule: { Repeat: '1W', Time: '2026-03-07T22:00:00Z', AllowedDays: [] },
  Backup: {
    Name: 'Photos',
    TargetURL:
      's3://family-backups/photos?s3-server-name=s3.example.org&auth-username=AKIAEXAMPLE&auth-password=s3cret-key',
    Sources: ['/srv/photos/', '/home/alice/Music/'],
    Settings: [
      { Name: 'passphrase', Value: 'correct horse battery staple' },
      { Name: 'keep-versions', Value: '10' },
    ],
    Filters: [
      { Order: 0, Include: false, Expression: '*/cache/' },
      { Order: 1, Include: true, Expression: '*.jpg' },
    ],
  },
};
