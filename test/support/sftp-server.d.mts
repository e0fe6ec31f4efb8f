// Types of sftp-server.mjs, for the TypeScript tests.
export interface SftpServer {
  host: string;
  port: number;
  user: string;
  /** The user's private key file (its public half is authorized). */
  keyFile: string;
  /** The host key's fingerprint, `SHA256:…`. */
  hostKey: string;
  /** The host key as known_hosts holds it: "ssh-ed25519 AAAA…". */
  hostKeyLine: string;
  /** A folder on the server the user can write. */
  root: string;
  env: { CAIRN_SFTP_KEY: string; CAIRN_SFTP_HOST_KEY: string };
  url(name?: string, via?: number): string;
  stop(): Promise<void>;
}

export declare function startSftp(): Promise<SftpServer>;
export declare function publicKeyFingerprint(pubFile: string): Promise<string>;
export declare function generateKey(path: string, comment?: string): string;
