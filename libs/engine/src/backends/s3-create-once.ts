import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CairnError, isCairnError } from '../errors.js';
import { TransientFailure } from './retry.js';
import { sha256Base64, type S3Calls } from './s3-multipart.js';

/** A claim older than this (by the server's clock) is a contender that died; it no longer counts. */
const STALE_CLAIM_MS = 10 * 60 * 1000;
const MAX_ROUNDS = 40;

/**
 * Creates `key` only if it does not exist; of concurrent callers exactly one succeeds, the others get
 * `already-exists`. Where the server honours `If-None-Match: *` on PUT (AWS, MinIO, …) that header
 * does it. Servers that ignore it (s3rver, older gateways) would let the last writer silently win,
 * and writing then reading back cannot fix that alone (each writer reads its own bytes if the other
 * writes later), so there the writers take turns first: see {@link createByClaim}.
 */
export async function createOnce(s3: S3Calls, key: string, data: Buffer, read: () => Promise<Buffer>) {
  const created = (await honoursIfNoneMatch(s3, key))
    ? (await putIfNoneMatch(s3, key, data)) === 'created'
    : await createByClaim(s3, key, data);
  // A PUT whose answer was lost is retried and then finds its own bytes: that is still our file.
  if (!created && !(await read().catch(() => Buffer.alloc(0))).equals(data)) {
    throw new CairnError('already-exists', `${key} already exists`);
  }
}

/** Asks the server once: a second conditional PUT of the same new key must fail with 412. */
async function honoursIfNoneMatch(s3: S3Calls, key: string): Promise<boolean> {
  const probe = `${key}.probe-${randomBytes(8).toString('hex')}`;
  try {
    if ((await putIfNoneMatch(s3, probe, Buffer.alloc(0))) !== 'created') return false;
    return (await putIfNoneMatch(s3, probe, Buffer.alloc(0))) === 'existed';
  } finally {
    await remove(s3, probe);
  }
}

type ConditionalPut = 'created' | 'existed' | 'unsupported';

async function putIfNoneMatch(s3: S3Calls, key: string, data: Buffer): Promise<ConditionalPut> {
  return s3.call(`create ${key}`, async () => {
    try {
      await s3.client.send(putCommand(s3, key, data, { IfNoneMatch: '*' }));
      return 'created';
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412) return 'existed';
      if (status === 501) return 'unsupported';
      // AWS answers 409 while another conditional write of the key is in flight: ask again.
      if (status === 409) throw new TransientFailure(`create ${key}: a concurrent write is in flight`);
      throw error;
    }
  });
}

/**
 * Mutual exclusion with plain reads and writes, which S3's strong consistency makes sound: each
 * contender puts a claim object of its own, then lists the claims. Of two contenders at least one sees
 * the other's claim (whoever listed second), so at most one sees only its own: it checks that `key`
 * is still absent, writes it, and withdraws its claim only afterwards, so a newcomer who no longer
 * sees the claim sees the key. A contender who sees others withdraws and tries again after a random
 * pause. Returns false when the key existed.
 */
async function createByClaim(s3: S3Calls, key: string, data: Buffer): Promise<boolean> {
  const claimPrefix = `${key}.claim-`;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    if (await exists(s3, key)) return false;
    const claim = `${claimPrefix}${randomBytes(8).toString('hex')}`;
    await put(s3, claim, Buffer.alloc(0));
    try {
      const claims = await liveClaims(s3, claimPrefix, claim);
      if (claims.length === 1 && claims[0] === claim) {
        if (await exists(s3, key)) return false;
        await put(s3, key, data);
        return true;
      }
    } finally {
      await remove(s3, claim);
    }
    await sleep(Math.random() * 50 * Math.min(round, 10));
  }
  throw new CairnError('backend', `create ${key}: other writers kept claiming it at the same time`);
}

async function liveClaims(s3: S3Calls, prefix: string, own: string): Promise<string[]> {
  const listed = await s3.call(`list ${prefix}*`, () =>
    s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix })),
  );
  const objects = listed.Contents ?? [];
  const ownTime = objects.find((object) => object.Key === own)?.LastModified?.getTime() ?? Date.now();
  return objects
    .filter((object) => (object.LastModified?.getTime() ?? ownTime) > ownTime - STALE_CLAIM_MS)
    .map((object) => object.Key ?? '');
}

async function exists(s3: S3Calls, key: string): Promise<boolean> {
  try {
    await s3.call(`stat ${key}`, () =>
      s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })),
    );
    return true;
  } catch (error) {
    if (isCairnError(error, 'not-found')) return false;
    throw error;
  }
}

async function put(s3: S3Calls, key: string, data: Buffer): Promise<void> {
  await s3.call(`write ${key}`, () => s3.client.send(putCommand(s3, key, data)));
}

/** A PUT of a Buffer with its length and checksum, never aws-chunked (s3rver stores that framing). */
function putCommand(s3: S3Calls, key: string, data: Buffer, condition: { IfNoneMatch?: string } = {}) {
  return new PutObjectCommand({
    Bucket: s3.bucket,
    Key: key,
    Body: data,
    ContentLength: data.length,
    ChecksumSHA256: sha256Base64(data),
    ...condition,
  });
}

async function remove(s3: S3Calls, key: string): Promise<void> {
  await s3.call(`remove ${key}`, () =>
    s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key })),
  );
}
