// Types of minio-server.mjs, for the TypeScript tests.
import type { S3Server } from './s3-server.mjs';

export declare function startMinio(): Promise<S3Server>;
