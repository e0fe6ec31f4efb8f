import { readFileSync } from 'node:fs';
import type { ResolvedChannel } from '@cairn/contracts';
import type { Message } from '../report/message.js';

/** Sends one message through one channel; throws when the receiver did not take it. */
export interface Sender {
  send(channel: ResolvedChannel, message: Message): Promise<void>;
}

/** How long any receiver gets to answer: a stuck one must not hold the report forever. */
export const SEND_TIMEOUT_MS = 15_000;

/** Who is calling, for a receiver's logs and filters: "Cairn/0.1.0", not Node's "node". */
export const USER_AGENT = `Cairn/${
  (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version
}`;
