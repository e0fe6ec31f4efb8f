import { InvalidArgumentError, Option, type Command } from 'commander';
import type { BackendOptions, RetryEvent } from '@cairn/engine';
import { interruption } from './interruption.js';

/** Flags for S3 and SFTP destinations; commands that do not use them simply ignore them. */
export interface RemoteFlags {
  s3Region?: string;
  s3PathStyle?: boolean;
  s3StorageClass?: string;
  s3CreateBucket?: boolean;
  sftpHostKey?: string;
  connections?: number;
  limitUpload?: number;
  limitDownload?: number;
}

export function withRemoteOptions(command: Command): Command {
  return command
    .addOption(new Option('--s3-region <region>', 'S3 signing region (default: AWS_REGION or us-east-1)'))
    .addOption(
      new Option('--s3-path-style', 'S3: bucket in the path, not the host name (default for non-AWS hosts)'),
    )
    .addOption(new Option('--no-s3-path-style', 'S3: bucket in the host name (virtual-hosted style)'))
    .addOption(new Option('--s3-storage-class <class>', 'S3 storage class for packs, e.g. STANDARD_IA'))
    .addOption(
      new Option('--sftp-host-key <SHA256:…>', 'SFTP: trust only this host key fingerprint').env(
        'CAIRN_SFTP_HOST_KEY',
      ),
    )
    .addOption(
      new Option(
        '--connections <N>',
        'parallel uploads and downloads (default 2 to a folder, 4 to S3 or SFTP)',
      ).argParser(parseConnections),
    )
    .addOption(
      new Option('--limit-upload <KiB/s>', 'cap uploads to the repository at this many KiB a second')
        .env('CAIRN_LIMIT_UPLOAD')
        .argParser(kibPerSecond('--limit-upload')),
    )
    .addOption(
      new Option('--limit-download <KiB/s>', 'cap downloads from the repository at this many KiB a second')
        .env('CAIRN_LIMIT_DOWNLOAD')
        .argParser(kibPerSecond('--limit-download')),
    );
}

/** `--s3-create-bucket`, for init only: every other command expects the bucket to be there. */
export function withCreateBucket(command: Command): Command {
  return command.addOption(new Option('--s3-create-bucket', 'S3: create the bucket when it does not exist'));
}

export function backendOptions(flags: RemoteFlags): BackendOptions {
  return {
    ...(flags.connections ? { connections: flags.connections } : {}),
    limits: {
      ...(flags.limitUpload ? { uploadKiBps: flags.limitUpload } : {}),
      ...(flags.limitDownload ? { downloadKiBps: flags.limitDownload } : {}),
    },
    // Ctrl-C does not wait out a bandwidth limit.
    signal: interruption.signal,
    onRetry: reportRetry,
    s3: {
      ...(flags.s3Region ? { region: flags.s3Region } : {}),
      ...(flags.s3PathStyle !== undefined ? { pathStyle: flags.s3PathStyle } : {}),
      ...(flags.s3StorageClass ? { storageClass: flags.s3StorageClass } : {}),
      ...(flags.s3CreateBucket ? { createBucket: true } : {}),
    },
    sftp: flags.sftpHostKey ? { hostKey: flags.sftpHostKey } : {},
  };
}

/** Like restic, say on stderr when a transfer is being retried: it explains a slow run. */
function reportRetry(event: RetryEvent): void {
  process.stderr.write(
    `warning: ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s ` +
      `(attempt ${event.attempt + 1} of ${event.attempts})\n`,
  );
}

function parseConnections(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('connections must be from 1 to 64');
  return n;
}

/** A bandwidth cap: a whole number of KiB/s above 0 (no cap is no flag, not 0). */
function kibPerSecond(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} takes a whole number of KiB/s above 0, e.g. 512`);
    return n;
  };
}
