import { repositoryUrl, type Destination, type Job, type Retention } from '@cairn/contracts';

/** The runner's CAIRN_BACKUP_HOST default: the host a job's snapshots carry unless it is changed. */
const RUNNER_DEFAULT_HOST = 'cairn';

const quote = (value: string) =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;

/** A destination's non-secret options as the CLI's flags (README "Remote destinations"). */
function destinationFlags(options: Record<string, string>): string[] {
  return [
    ...(options.region ? [`--s3-region ${quote(options.region)}`] : []),
    ...(options.pathStyle === 'true' ? ['--s3-path-style'] : []),
    ...(options.pathStyle === 'false' ? ['--no-s3-path-style'] : []),
    ...(options.storageClass ? [`--s3-storage-class ${quote(options.storageClass)}`] : []),
    ...(options.hostKey ? [`--sftp-host-key ${quote(options.hostKey)}`] : []),
  ];
}

/** A job's retention as `cairn forget`'s flags, the same rules the runner applies after a backup. */
function retentionFlags(retention: Retention): string[] {
  const counts = [
    ['keepLast', '--keep-last'],
    ['keepHourly', '--keep-hourly'],
    ['keepDaily', '--keep-daily'],
    ['keepWeekly', '--keep-weekly'],
    ['keepMonthly', '--keep-monthly'],
    ['keepYearly', '--keep-yearly'],
  ] as const;
  return [
    ...counts.flatMap(([field, flag]) =>
      retention[field] !== undefined ? [`${flag} ${retention[field]}`] : [],
    ),
    ...(retention.keepWithin !== undefined ? [`--keep-within ${quote(retention.keepWithin)}`] : []),
    ...(retention.policy !== undefined ? [`--retention-policy ${quote(retention.policy)}`] : []),
  ];
}

/**
 * The `cairn` commands that do what a run of this job does, on its repository, without the server:
 * the same repository, host and paths (so the CLI's backup finds the server's last snapshot as its
 * parent), then the job's retention and prune. `host` is that of the job's newest snapshot.
 */
export function jobCommandLine(job: Job, destination: Destination, host: string | undefined): string {
  const repository = [
    `--repo ${quote(repositoryUrl(destination.url, job.repositoryPath))}`,
    ...destinationFlags(destination.options),
    ...(job.limits?.uploadKiBps ? [`--limit-upload ${job.limits.uploadKiBps}`] : []),
    ...(job.limits?.downloadKiBps ? [`--limit-download ${job.limits.downloadKiBps}`] : []),
  ];
  const backup = [
    ...repository,
    `--host ${quote(host ?? RUNNER_DEFAULT_HOST)}`,
    ...(job.compression !== 'default' ? [`--compression ${job.compression}`] : []),
    ...(job.packSizeMiB !== 16 ? [`--pack-size ${job.packSizeMiB}`] : []),
    ...job.excludes.map((pattern) => `--exclude ${quote(pattern)}`),
  ];
  return [
    `# The job's passphrase is the repository password: export CAIRN_PASSWORD (or CAIRN_PASSWORD_FILE) first.`,
    ...Object.keys(destination.secrets).map(
      (name) =>
        `# Destination secret ${name}: set it as the backend expects (see the README, "Remote destinations").`,
    ),
    ...(host === undefined
      ? [`# --host: the runner's CAIRN_BACKUP_HOST (${RUNNER_DEFAULT_HOST} unless it was changed).`]
      : []),
    `cairn backup ${backup.join(' ')} ${job.sources.map(quote).join(' ')}`,
    ...(job.retention
      ? [
          `cairn forget ${repository.join(' ')} ${retentionFlags(job.retention).join(' ')} --time-zone ${quote(job.schedule?.timezone ?? 'UTC')} --prune`,
        ]
      : []),
  ].join('\n');
}
