import type { ResolvedChannel } from '@cairn/contracts';
import type { Message } from '../report/message.js';

/** Sends one message through one channel; throws when the receiver did not take it. */
export interface Sender {
  send(channel: ResolvedChannel, message: Message): Promise<void>;
}

/** How long any receiver gets to answer: a stuck one must not hold the report forever. */
export const SEND_TIMEOUT_MS = 15_000;
