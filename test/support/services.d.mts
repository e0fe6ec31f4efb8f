// Types of services.mjs (plain ESM, shared by every workspace's tests).
export declare function natsUrl(): Promise<string>;
export declare function databaseUrl(): Promise<string>;
export declare function privateNats(options?: {
  auth?: boolean;
  tls?: { cert: string; key: string };
  storeDir?: string;
  port?: number;
}): Promise<{
  url: string;
  /** NATS_<SERVICE>_PASSWORD for each service (empty without auth). */
  env: Record<string, string>;
  passwords: Record<string, string>;
  log(): string;
  stop(): Promise<void>;
}>;
export declare function freePort(): Promise<number>;
