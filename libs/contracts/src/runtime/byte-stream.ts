import { createInbox, headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { SUBJECTS } from '../subjects.js';

const SLICE_BYTES = 256 * 1024;
const SLICE_TIMEOUT_MS = 60_000;
const STATE = 'Cairn-Stream';

/**
 * A byte stream over NATS with flow control: every slice is a request that the receiver answers only
 * once it has written the slice on, so a slow reader slows the sender instead of dropping data.
 */
export async function sendStream(
  nc: NatsConnection,
  inbox: string,
  chunks: AsyncIterable<Buffer>,
): Promise<void> {
  try {
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
        await nc.request(inbox, chunk.subarray(at, at + SLICE_BYTES), { timeout: SLICE_TIMEOUT_MS });
      }
    }
    await nc.request(inbox, new Uint8Array(0), { timeout: SLICE_TIMEOUT_MS, headers: state('end') });
  } catch (error) {
    const h = state('error');
    h.set('Cairn-Error', (error instanceof Error ? error.message : String(error)).slice(0, 500));
    nc.publish(inbox, new Uint8Array(0), { headers: h });
  }
}

/**
 * Listens on a new inbox for a stream (give the sender `inbox`): `write` gets each slice in order
 * (the sender waits for it); `done` resolves at the end and rejects with the sender's error; `stop`
 * gives up listening.
 */
export function receiveStream(
  nc: NatsConnection,
  write: (bytes: Uint8Array) => Promise<void>,
): { inbox: string; done: Promise<void>; stop(): void } {
  // Not a reply inbox: the runner may send to the gateway's streams, never to its replies.
  const inbox = createInbox(SUBJECTS.streams);
  let subscription: { unsubscribe(): void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    let queue = Promise.resolve();
    const sub = nc.subscribe(inbox, {
      callback: (error, msg: Msg) => {
        queue = queue.then(async () => {
          if (error) throw error;
          const kind = msg.headers?.get(STATE);
          if (kind === 'error') throw new Error(msg.headers?.get('Cairn-Error') || 'the stream failed');
          if (kind === 'end') {
            msg.respond();
            sub.unsubscribe();
            return resolve();
          }
          await write(msg.data);
          msg.respond();
        });
        queue.catch((failure: unknown) => {
          sub.unsubscribe();
          reject(failure instanceof Error ? failure : new Error(String(failure)));
        });
      },
    });
    subscription = sub;
  });
  return { inbox, done, stop: () => subscription?.unsubscribe() };
}

function state(value: 'end' | 'error') {
  const h = natsHeaders();
  h.set(STATE, value);
  return h;
}
