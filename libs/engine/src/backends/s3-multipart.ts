import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { CairnError } from '../errors.js';

/** What a multipart upload needs from the backend: the client and its retrying call. */
export interface S3Calls {
  readonly client: S3Client;
  readonly bucket: string;
  call<T>(operation: string, request: () => Promise<T>): Promise<T>;
}

export function sha256Base64(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/**
 * Uploads `data` in parts, each retried on its own, so a reset costs one part rather than the whole
 * object. Nothing is visible under `key` until the final complete call; a failed upload is aborted
 * so the store does not keep (and bill) its parts.
 */
export async function uploadMultipart(
  s3: S3Calls,
  key: string,
  data: Buffer,
  partSize: number,
  storageClass?: StorageClass,
): Promise<void> {
  const { bucket, client } = s3;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const started = await s3.call(`start upload of ${name}`, () =>
    client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ChecksumAlgorithm: 'SHA256',
        ...(storageClass ? { StorageClass: storageClass } : {}),
      }),
    ),
  );
  const uploadId = started.UploadId;
  if (!uploadId) throw new CairnError('backend', `start upload of ${name}: the server returned no upload id`);
  try {
    const parts: CompletedPart[] = [];
    for (let offset = 0, number = 1; offset < data.length; offset += partSize, number++) {
      const body = data.subarray(offset, offset + partSize);
      const checksum = sha256Base64(body);
      const uploaded = await s3.call(`upload part ${number} of ${name}`, () =>
        client.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: number,
            Body: body,
            ContentLength: body.length,
            ChecksumSHA256: checksum,
          }),
        ),
      );
      parts.push({ PartNumber: number, ETag: uploaded.ETag, ChecksumSHA256: checksum });
    }
    await s3.call(`complete upload of ${name}`, () =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}
