import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8200';

/** What `cairn server login` keeps: where the server is and the tokens to talk to it. */
export interface ServerSession {
  url: string;
  accessToken: string;
  refreshCookie: string;
}

/** In the user's config folder, readable by the user alone: the tokens are as good as a password. */
export function sessionPath(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cairn', 'server.json');
}

export function loadSession(): ServerSession | undefined {
  try {
    return JSON.parse(readFileSync(sessionPath(), 'utf8')) as ServerSession;
  } catch {
    return undefined;
  }
}

export function saveSession(session: ServerSession): void {
  const path = sessionPath();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(session), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function clearSession(): void {
  rmSync(sessionPath(), { force: true });
}
