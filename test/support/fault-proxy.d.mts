// Types of fault-proxy.mjs, for the TypeScript tests.
export type FaultMode = 'pass' | 'reset' | 'stall' | '503';

export interface FaultProxyOptions {
  host?: string;
  port: number;
  listenPort?: number;
  seed?: number;
  plan?: FaultMode[];
  reset?: number;
  stall?: number;
  http503?: number;
  maxBytesBeforeFault?: number;
}

export interface FaultProxy {
  port: number;
  stats: { connections: number; resets: number; stalls: number; http503: number };
  stop(): Promise<void>;
}

export declare function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy>;
