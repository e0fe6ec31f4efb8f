import type { RetryEvent, RetryPolicy } from './retry.js';
import type { BandwidthLimits } from './throttle.js';

/** S3 settings beyond what the URL says. */
export interface S3Options {
  /** Signing region; defaults to AWS_REGION, the region in an AWS host name, or us-east-1. */
  region?: string;
  /** Bucket in the path instead of the host name; defaults to on for every host but AWS's. */
  pathStyle?: boolean;
  /** Storage class for packs (metadata stays in the default class so opening stays quick and cheap). */
  storageClass?: string;
  /** Let `create` (that is, `init`) make a missing bucket instead of refusing. */
  createBucket?: boolean;
  /** Objects larger than this are uploaded in parts of this size (at least 5 MiB, S3's minimum). */
  partSize?: number;
}

/** SFTP settings beyond what the URL says. */
export interface SftpOptions {
  /** Pinned host key fingerprint, `SHA256:…`; defaults to CAIRN_SFTP_HOST_KEY, then known_hosts. */
  hostKey?: string;
  /** known_hosts files to trust; defaults to ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
}

/** Settings for remote destinations; each backend reads the ones it knows. */
export interface BackendOptions {
  /** Environment to take credentials from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Parallel transfers. */
  connections?: number;
  /** A call that makes no progress for this long fails (and is retried). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Told about every retried failure, e.g. to log it; messages never hold credentials. */
  onRetry?: (event: RetryEvent) => void;
  s3?: S3Options;
  sftp?: SftpOptions;
  /** Caps on the bytes saved and loaded, whatever the backend. */
  limits?: BandwidthLimits;
  /** Once aborted, the limits pace nothing more (a cancelled run does not wait out its budget). */
  signal?: AbortSignal;
}

export const DEFAULT_CONNECTIONS = 4;
/**
 * A folder on a local disk gains nothing from more writers than the two CPUs' worth of workers feed
 * (restic's local default is 2 too), and each writer holds a whole pack in memory while it syncs it.
 */
export const LOCAL_CONNECTIONS = 2;
export const DEFAULT_TIMEOUT_MS = 60_000;
