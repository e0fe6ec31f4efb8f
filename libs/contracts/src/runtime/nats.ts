import { existsSync } from 'node:fs';
import {
  connect,
  errors,
  headers as natsHeaders,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { AckPolicy, jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import * as z from 'zod';
import type { Endpoint } from '../endpoints.js';
import { ErrorBody } from '../schemas/common.js';
import { CONSUMERS, STREAMS } from '../subjects.js';
import { env, loadConfig } from './config.js';
import { redactUrl } from './redact-url.js';
import { isNetworkError, untilReachable, type StartupWait } from './startup.js';

export type { NatsConnection };

/** An error that crossed NATS: the code says what kind (bad-request, not-found, …). */
export class RemoteError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

/** A request nobody answered (no such service up yet, or too slow), or one refused for now. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof RemoteError && error.body.code === 'unavailable';
}

/** What a handler throws to answer with a specific error code. */
export class HandlerError extends Error {
  constructor(
    readonly code: ErrorBody['code'],
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Where a serving service logs what went wrong (a pino logger, or console in tests). */
export interface ErrorLog {
  error(fields: object, message: string): void;
}

type Reply = { ok: true; data: unknown } | { ok: false; error: ErrorBody };

/**
 * The services with a NATS user of their own in deploy/nats/nats.conf; the volume controller runs in
 * a Kubernetes cluster only, and its user is in the chart's NATS config alone (helm/generate-nats-users.mjs).
 */
export type NatsService = 'catalog' | 'gateway' | 'runner' | 'scheduler' | 'notifier' | 'volume-controller';

const existingFile = z.string().refine((path) => existsSync(path), 'no such file');

/** The variables every service reads to reach NATS (README: "NATS users and permissions"). */
export const NATS_ENV = {
  NATS_URL: env.url('nats://127.0.0.1:4222'),
  /** The service's own name when unset: the user deploy/nats/nats.conf gives it. */
  NATS_USER: z.string().min(1).optional(),
  /** Unset: connect without a password, as to a NATS server without users (tests, a bare nats-server). */
  NATS_PASSWORD: z.string().min(1).optional(),
  /** TLS: the CA that signed the server's certificate; set, the connection must be TLS. */
  NATS_TLS_CA: existingFile.optional(),
  /** TLS: this service's client certificate and key, for a server that asks for one. */
  NATS_TLS_CERT: existingFile.optional(),
  NATS_TLS_KEY: existingFile.optional(),
};
export type NatsEnv = z.output<z.ZodObject<typeof NATS_ENV>>;

/** The checks between NATS variables, for a service's config schema (`.superRefine(checkNatsEnv)`). */
export function checkNatsEnv(config: NatsEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (config.NATS_USER && !config.NATS_PASSWORD) issue('NATS_PASSWORD', 'must be set when NATS_USER is');
  if (config.NATS_TLS_CERT && !config.NATS_TLS_KEY) issue('NATS_TLS_KEY', 'must be set with NATS_TLS_CERT');
  if (config.NATS_TLS_KEY && !config.NATS_TLS_CERT) issue('NATS_TLS_CERT', 'must be set with NATS_TLS_KEY');
}

/** How a service connects to NATS; the password never leaves this object (never log it). */
export interface NatsSettings {
  servers: string;
  user?: string;
  pass?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Replies come to `<prefix>.…`: each user may read only its own (deploy/nats/nats.conf). */
  inboxPrefix?: string;
}

export function natsSettings(config: NatsEnv, service: NatsService): NatsSettings {
  const tls = {
    ...(config.NATS_TLS_CA ? { caFile: config.NATS_TLS_CA } : {}),
    ...(config.NATS_TLS_CERT ? { certFile: config.NATS_TLS_CERT, keyFile: config.NATS_TLS_KEY } : {}),
  };
  return {
    servers: config.NATS_URL,
    ...(config.NATS_PASSWORD ? { user: config.NATS_USER ?? service, pass: config.NATS_PASSWORD } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
    inboxPrefix: `_INBOX_${service}`,
  };
}

/** The NATS settings of a service straight from the environment (health probes read no more). */
export function loadNatsSettings(environment: NodeJS.ProcessEnv, service: NatsService): NatsSettings {
  return natsSettings(loadConfig(z.object(NATS_ENV).superRefine(checkNatsEnv), environment), service);
}

/**
 * Connects (a bare URL: without credentials), retrying for ever once connected. With `startup`, a
 * server that cannot be reached yet is tried again until that wait is over; without it (a health
 * probe), the first refusal is the answer.
 */
export async function connectNats(
  settings: NatsSettings | string,
  name: string,
  startup?: StartupWait,
): Promise<NatsConnection> {
  const options = typeof settings === 'string' ? { servers: settings } : settings;
  const where = `NATS at ${redactUrl(options.servers)}${options.user ? ` as ${options.user}` : ''}`;
  const once = () => connect({ ...options, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
  try {
    return await untilReachable(where, once, isNatsUnreachable, startup);
  } catch (error) {
    throw new Error(`cannot connect to ${where}: ${(error as Error).message}`, { cause: error });
  }
}

/** Refused, silent or not resolvable yet — not a refused password or a TLS mismatch. */
function isNatsUnreachable(error: unknown): boolean {
  return (
    error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || isNetworkError(error)
  );
}

/** Sends a validated request and returns the validated reply; an error reply becomes a RemoteError. */
export async function request<E extends Endpoint>(
  nc: NatsConnection,
  endpoint: E,
  payload: z.input<E['request']>,
  timeoutMs = 10_000,
): Promise<z.output<E['response']>> {
  const body = endpoint.request.parse(payload);
  let reply: Reply;
  try {
    reply = JSON.parse(await replyText(nc, endpoint.subject, JSON.stringify(body), timeoutMs)) as Reply;
  } catch (error) {
    throw new RemoteError({
      code: 'unavailable',
      message: `no answer on ${endpoint.subject}: ${(error as Error).message}`,
    });
  }
  if (!reply.ok) throw new RemoteError(ErrorBody.parse(reply.error));
  return endpoint.response.parse(reply.data) as z.output<E['response']>;
}

/**
 * Answers requests on an endpoint (in a queue group, so replicas share the load). Invalid requests
 * are answered `bad-request` naming the field; a HandlerError keeps its code; anything else is
 * `internal`: logged in full by the serving service, never shown to the caller in detail.
 */
export function serve<E extends Endpoint>(
  nc: NatsConnection,
  endpoint: E,
  handler: (request: z.output<E['request']>) => Promise<z.input<E['response']>>,
  options: { queue: string; logger: ErrorLog },
): Subscription {
  return nc.subscribe(endpoint.subject, {
    queue: options.queue,
    callback: (error, msg) => {
      if (error)
        return void options.logger.error({ err: error, subject: endpoint.subject }, 'subscription failed');
      void (async () => {
        let reply: Reply;
        const parsed = endpoint.request.safeParse(safeJson(msg.data));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.join('.');
          reply = {
            ok: false,
            error: {
              code: 'bad-request',
              message: `${field || 'request'}: ${issue.message}`,
              ...(field ? { field } : {}),
            },
          };
        } else {
          try {
            reply = {
              ok: true,
              data: endpoint.response.parse(await handler(parsed.data as z.output<E['request']>)),
            };
          } catch (failure) {
            if (failure instanceof HandlerError) {
              reply = {
                ok: false,
                error: {
                  code: failure.code,
                  message: failure.message,
                  ...(failure.field ? { field: failure.field } : {}),
                },
              };
            } else {
              options.logger.error({ err: failure, subject: endpoint.subject }, 'request failed');
              reply = { ok: false, error: { code: 'internal', message: 'internal error' } };
            }
          }
        }
        respond(nc, msg, JSON.stringify(reply));
      })();
    },
  });
}

/**
 * A reply larger than one NATS message (the server's max_payload, 1 MiB unless configured) goes as
 * numbered parts, each saying how many there are: a folder of 10 000 files is more than a megabyte.
 */
const PARTS_HEADER = 'Cairn-Parts';
/** Room left in each part for its headers. */
const HEADER_ROOM_BYTES = 1024;
/** As many replies as deploy/nats/nats.conf lets a service send to one request (allow_responses). */
const MAX_REPLY_PARTS = 64;

function respond(nc: NatsConnection, msg: Msg, text: string): void {
  const bytes = new TextEncoder().encode(text);
  const partBytes = (nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM_BYTES;
  if (bytes.length <= partBytes) return void msg.respond(bytes);
  const count = Math.ceil(bytes.length / partBytes);
  if (count > MAX_REPLY_PARTS) {
    const error = {
      code: 'internal',
      message: `a reply of ${count} parts, more than the ${MAX_REPLY_PARTS} NATS allows`,
    };
    return void msg.respond(JSON.stringify({ ok: false, error }));
  }
  for (let index = 0; index < count; index++) {
    const h = natsHeaders();
    h.set(PARTS_HEADER, String(count));
    msg.respond(bytes.subarray(index * partBytes, (index + 1) * partBytes), { headers: h });
  }
}

/** The reply to a request, its parts joined (they arrive in order: one sender, one subject). */
async function replyText(
  nc: NatsConnection,
  subject: string,
  body: string,
  timeoutMs: number,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let expected = 1;
  for await (const msg of await nc.requestMany(subject, body, { strategy: 'timer', maxWait: timeoutMs })) {
    parts.push(msg.data);
    expected = Number(msg.headers?.get(PARTS_HEADER) || 1);
    if (parts.length >= expected) break;
  }
  if (parts.length === 0) throw new errors.TimeoutError();
  if (parts.length < expected) throw new Error(`${parts.length} of the reply's ${expected} parts came`);
  return Buffer.concat(parts).toString('utf8');
}

/** A message's JSON payload, or undefined when it is not JSON (its schema then says what is wrong). */
export function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/**
 * An event whose catalog or notifier stopped answering (killed, cut off) goes to another replica
 * this long after its last sign of life; the consumer base keeps the events in hand alive meanwhile.
 */
const EVENTS_ACK_WAIT_MS = 30_000;

/**
 * Creates (or updates) the JetStream streams of DESIGN §5 and the consumers of the event streams.
 * The runners' consumer is the runner's own (ensureRunnerConsumer): its ack wait is runner
 * configuration, which another service re-adding it would reset.
 */
export async function ensureStreams(nc: NatsConnection): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const streams = [
    { ...STREAMS.jobs, retention: RetentionPolicy.Workqueue, duplicate_window: 24 * 3600 * 1e9 },
    { ...STREAMS.events, retention: RetentionPolicy.Interest, duplicate_window: 3600 * 1e9 },
    // Last value per subject, like a key-value bucket.
    { ...STREAMS.scheduler, retention: RetentionPolicy.Limits, max_msgs_per_subject: 1 },
  ];
  for (const stream of streams) {
    const config = { ...stream, subjects: [...stream.subjects] };
    try {
      await jsm.streams.info(stream.name);
      await jsm.streams.update(stream.name, config);
    } catch {
      await jsm.streams.add(config);
    }
  }
  for (const durable of [CONSUMERS.catalog, CONSUMERS.notifier]) {
    await jsm.consumers.add(STREAMS.events.name, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: EVENTS_ACK_WAIT_MS * 1e6,
    });
  }
  return jsm;
}

/**
 * Creates (or updates) the runners' durable consumer of run requests. A request whose runner stops
 * answering (killed, cut off) goes to another runner `ackWaitMs` after its last sign of life.
 */
export async function ensureRunnerConsumer(nc: NatsConnection, ackWaitMs: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const ackWait = ackWaitMs * 1e6;
  const existing = await jsm.consumers.info(STREAMS.jobs.name, CONSUMERS.runners).catch(() => null);
  // `add` creates only (the client sends no create-or-update), so an existing one is updated.
  if (existing) {
    if (existing.config.ack_wait !== ackWait)
      await jsm.consumers.update(STREAMS.jobs.name, CONSUMERS.runners, { ack_wait: ackWait });
    return;
  }
  await jsm.consumers.add(STREAMS.jobs.name, {
    durable_name: CONSUMERS.runners,
    ack_policy: AckPolicy.Explicit,
    ack_wait: ackWait,
    max_deliver: -1,
  });
}
