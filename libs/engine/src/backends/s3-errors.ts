import { CairnError } from '../errors.js';
import { describeError, isTransientNetworkError } from './net-errors.js';
import { TransientFailure } from './retry.js';
import type { S3Location } from './url.js';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const ACCESS_ERRORS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
]);
const REGION_ERRORS = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/**
 * Sorts an SDK failure into "retry" (5xx, 429, timeouts, resets) or a CairnError that says what to fix.
 * Messages are built from error names and status codes only: server texts and SDK dumps may quote
 * the request, and with it the access key.
 */
export function s3Failure(error: unknown, action: string, where: S3Location): CairnError | TransientFailure {
  if (error instanceof CairnError || error instanceof TransientFailure) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const status = sdk.$metadata?.httpStatusCode;
  // Answers without a body (HEAD) leave the SDK nothing but the status to name the error by.
  const name =
    sdk.name && sdk.name !== 'Unknown' ? sdk.name : status !== undefined ? `HTTP ${status}` : 'Error';
  const server = where.hostname;
  if (name === 'CredentialsProviderError') {
    return new CairnError(
      'usage',
      'no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or configure an AWS profile)',
    );
  }
  if (name === 'NoSuchBucket') {
    return new CairnError('repository-not-found', `bucket "${where.bucket}" does not exist on ${server}`);
  }
  if (name === 'NoSuchKey' || (status === 404 && name === 'NotFound')) {
    return new CairnError('not-found', `${action}: no such file in ${where.display}`);
  }
  if (ACCESS_ERRORS.has(name) || status === 403) {
    return new CairnError(
      'backend',
      `${action}: ${server} refused access (${name}); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY ` +
        `and the permissions on bucket "${where.bucket}"`,
    );
  }
  if (REGION_ERRORS.has(name) || status === 301) {
    return new CairnError(
      'backend',
      `${action}: bucket "${where.bucket}" is in another region; pass --s3-region`,
    );
  }
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) {
    return new TransientFailure(`${action}: ${server} answered HTTP ${status} (${name})`, { cause: error });
  }
  if (name === 'TimeoutError') return new TransientFailure(`${action}: the connection stalled (timed out)`);
  if (isTransientNetworkError(error) || sdk.$retryable) {
    return new TransientFailure(`${action}: ${describeError(error)}`, { cause: error });
  }
  const what = status !== undefined ? `HTTP ${status} (${name})` : describeError(error);
  return new CairnError('backend', `${action} on ${where.display}: ${what}`, { cause: error });
}
