import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { CairnError, isCairnError } from '../errors.js';
import {
  filePath,
  folderOf,
  type Backend,
  type ByteRange,
  type FileInfo,
  type FileType,
  type SaveOptions,
} from './backend.js';
import { createOnce } from './s3-create-once.js';
import { DEFAULT_CONNECTIONS, DEFAULT_TIMEOUT_MS, type BackendOptions } from './options.js';
import { retry, retryPolicy, TransientFailure, type RetryPolicy } from './retry.js';
import { s3Failure } from './s3-errors.js';
import { sha256Base64, uploadMultipart, type S3Calls } from './s3-multipart.js';
import type { S3Location } from './url.js';

/** S3 allows parts of 5 MiB at least; above 64 MiB a pack goes in parts, so a failure resends one part. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 64 * 1024 * 1024;

/**
 * A repository under a bucket prefix on any S3-compatible store. Objects are uploaded as Buffers with
 * a length and a SHA-256 the server can verify: streamed bodies go out `aws-chunked`, which some
 * servers (s3rver) store verbatim, framing included. The SDK's own retries are off; every call goes
 * through {@link retry} like the other backends'.
 */
export class S3Backend implements Backend, S3Calls {
  readonly location: string;
  readonly client: S3Client;
  readonly bucket: string;
  private readonly policy: RetryPolicy;
  private readonly partSize: number;

  constructor(
    private readonly where: S3Location,
    private readonly options: BackendOptions = {},
  ) {
    this.location = where.display;
    this.bucket = where.bucket;
    this.policy = retryPolicy(options.retry);
    this.partSize = options.s3?.partSize ?? DEFAULT_PART_SIZE;
    if (!(this.partSize >= MIN_PART_SIZE)) {
      throw new CairnError('usage', `the S3 part size must be at least ${MIN_PART_SIZE / 1024 / 1024} MiB`);
    }
    const env = options.env ?? process.env;
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    this.client = new S3Client({
      endpoint: where.endpoint,
      region: options.s3?.region ?? env.AWS_REGION ?? awsRegionOf(where.hostname) ?? 'us-east-1',
      forcePathStyle: options.s3?.pathStyle ?? !isAwsHost(where.hostname),
      // Without keys in the given environment the SDK's usual chain (profiles, SSO, …) applies.
      ...(accessKeyId && secretAccessKey
        ? {
            credentials: {
              accessKeyId,
              secretAccessKey,
              ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
            },
          }
        : {}),
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: timeout,
        socketTimeout: timeout,
        // Restores and checks read ranges in parallel on top of the uploads' connections.
        httpAgent: { keepAlive: true, maxSockets: 2 * (options.connections ?? DEFAULT_CONNECTIONS) },
        httpsAgent: { keepAlive: true, maxSockets: 2 * (options.connections ?? DEFAULT_CONNECTIONS) },
      },
    });
  }

  async create(): Promise<void> {
    try {
      await this.call('check the bucket', () =>
        this.client.send(new HeadBucketCommand({ Bucket: this.bucket })),
      );
    } catch (error) {
      // HEAD answers have no body, so a missing bucket is a bare 404 (our "not-found").
      if (!isCairnError(error, 'not-found') && !isCairnError(error, 'repository-not-found')) throw error;
      if (!this.options.s3?.createBucket) {
        throw new CairnError(
          'backend',
          `bucket "${this.bucket}" does not exist on ${this.where.hostname}: create it, or pass --s3-create-bucket`,
        );
      }
      await this.createBucket();
    }
  }

  async save(type: FileType, name: string, data: Buffer, options: SaveOptions = {}): Promise<void> {
    const key = this.key(type, name);
    if (options.ifAbsent) return createOnce(this, key, data, () => this.load(type, name));
    const storageClass =
      type === 'pack' ? (this.options.s3?.storageClass as StorageClass | undefined) : undefined;
    if (data.length > this.partSize) {
      return uploadMultipart(this, key, data, this.partSize, storageClass);
    }
    // Every file but config is named by its SHA-256, so the name is the checksum, free of charge.
    const checksum =
      type !== 'config' && /^[0-9a-f]{64}$/.test(name) ? hexToBase64(name) : sha256Base64(data);
    await this.call(`write ${filePath(type, name)}`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: data,
          ContentLength: data.length,
          ChecksumSHA256: checksum,
          ...(storageClass ? { StorageClass: storageClass } : {}),
        }),
      ),
    );
  }

  async load(type: FileType, name: string, range?: ByteRange): Promise<Buffer> {
    const what = filePath(type, name);
    if (range?.length === 0) return Buffer.alloc(0);
    return this.call(`read ${what}`, async () => {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key(type, name),
          ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
        }),
      );
      const body = response.Body as Body | undefined;
      const length = response.ContentLength ?? 0;
      if (range && length !== range.length) {
        body?.destroy();
        if (length < range.length) throw new CairnError('corrupt', `${what}: file is shorter than expected`);
        throw new CairnError('backend', `read ${what}: ${this.where.hostname} ignored the byte range`);
      }
      return readBody(body, length, what);
    });
  }

  async stat(type: FileType, name: string): Promise<FileInfo> {
    const response = await this.call(`stat ${filePath(type, name)}`, () =>
      this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(type, name) })),
    );
    return { name, size: response.ContentLength ?? 0 };
  }

  async list(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') return [await this.stat('config', 'config')];
    const prefix = `${this.where.prefix}${folderOf(type)}/`;
    const found: FileInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list ${folderOf(type)}`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        // Folder markers some tools create end in "/"; they are not files.
        if (key.endsWith('/')) continue;
        found.push({ name: key.slice(key.lastIndexOf('/') + 1), size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  async remove(type: FileType, name: string): Promise<void> {
    // S3 answers a delete of a missing key with success, which is the contract already.
    await this.call(`remove ${filePath(type, name)}`, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(type, name) })),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** One S3 request with the retry policy; errors come out as CairnErrors. */
  call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    return retry(
      operation,
      this.policy,
      async () => {
        try {
          return await request();
        } catch (error) {
          throw s3Failure(error, operation, this.where);
        }
      },
      this.options.onRetry,
    );
  }

  private async createBucket(): Promise<void> {
    const region = await this.client.config.region();
    await this.call(`create bucket ${this.bucket}`, () =>
      this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the one region S3 refuses to be told explicitly.
          ...(region !== 'us-east-1'
            ? { CreateBucketConfiguration: { LocationConstraint: region as never } }
            : {}),
        }),
      ),
    );
  }

  private key(type: FileType, name: string): string {
    return `${this.where.prefix}${filePath(type, name)}`;
  }
}

/** In Node the SDK hands out the HTTP response stream itself. */
type Body = AsyncIterable<Uint8Array> & { destroy(): void };

/** Copies the body straight into one Buffer of the announced length; a short body is a cut connection. */
async function readBody(body: Body | undefined, length: number, what: string): Promise<Buffer> {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for await (const chunk of body ?? []) {
    if (at + chunk.length > length)
      throw new CairnError('backend', `read ${what}: more bytes than announced`);
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== length)
    throw new TransientFailure(`read ${what}: the connection closed after ${at} of ${length} bytes`);
  return out;
}

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function isAwsHost(hostname: string): boolean {
  return hostname === 'amazonaws.com' || hostname.endsWith('.amazonaws.com');
}

/** s3.eu-west-1.amazonaws.com and s3-eu-west-1.amazonaws.com name their region. */
function awsRegionOf(hostname: string): string | undefined {
  return /^s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(hostname)?.[1];
}
