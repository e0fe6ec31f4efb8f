// Types of s3-server.mjs, for the TypeScript tests.
export interface S3Server {
  host: string;
  port: number;
  bucket: string;
  /** Credentials for the server, to pass as BackendOptions.env or a child's environment. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
  endpoint: string;
  url(name?: string, via?: number): string;
  missingBucketUrl(): string;
  stop(): Promise<void>;
}

export declare function startS3(): Promise<S3Server>;
