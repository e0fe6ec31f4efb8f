// Types of services.mjs (plain ESM, shared by every workspace's tests).
export declare function natsUrl(): Promise<string>;
export declare function databaseUrl(): Promise<string>;
export declare function privateNats(): Promise<{ url: string; stop(): Promise<void> }>;
export declare function freePort(): Promise<number>;
