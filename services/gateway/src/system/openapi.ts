import { z } from 'zod';
import {
  Channel,
  ChannelInput,
  ChannelPatch,
  Delivery,
  Destination,
  DestinationInput,
  DestinationPatch,
  Job,
  JobInput,
  JobPatch,
  RestoreParams,
  Run,
  SnapshotRecord,
  TestSendResult,
  TreeEntry,
} from '@cairn/contracts';
import { LoginBody, PasswordBody } from '../auth/auth.controller.js';
import { TicketRequest } from '../auth/link-tickets.js';
import { JobExport, JobImport } from '../jobs/job-transfer.js';

type Route = [method: string, path: string, summary: string, body?: z.ZodType, response?: z.ZodType];

const Tokens = z.object({ accessToken: z.string(), expiresIn: z.number() });
const Ticket = z.object({ ticket: z.string(), url: z.string(), expiresIn: z.number() });
const ROUTES: Route[] = [
  [
    'post',
    '/auth/login',
    'Sign in with the admin password (JSON only; 5 attempts a minute per address, 429 beyond; 503 when too many sign-ins are being checked at once)',
    LoginBody,
    Tokens,
  ],
  ['post', '/auth/refresh', 'New access token from the refresh cookie', undefined, Tokens],
  ['post', '/auth/logout', 'End the session'],
  ['post', '/auth/password', 'Change the admin password', PasswordBody, Tokens],
  ['get', '/destinations', 'List destinations', undefined, z.array(Destination)],
  ['post', '/destinations', 'Create a destination', DestinationInput, Destination],
  ['get', '/destinations/{id}', 'A destination', undefined, Destination],
  ['patch', '/destinations/{id}', 'Change a destination', DestinationPatch, Destination],
  ['delete', '/destinations/{id}', 'Remove an unused destination'],
  [
    'post',
    '/destinations/test',
    'Write, list, read back and delete a test file at an unsaved destination ({ url, options, secrets })',
  ],
  ['post', '/destinations/{id}/test', 'Write, list, read back and delete a test file there'],
  ['get', '/jobs', 'List jobs', undefined, z.array(Job)],
  ['post', '/jobs', 'Create a job', JobInput, Job],
  ['post', '/jobs/import', 'Create a job from an export', JobImport, Job],
  ['get', '/jobs/{id}', 'A job', undefined, Job],
  ['patch', '/jobs/{id}', 'Change a job', JobPatch, Job],
  ['delete', '/jobs/{id}', 'Remove a job'],
  ['post', '/jobs/{id}/run', 'Run a job now', undefined, Run],
  ['get', '/jobs/{id}/runs', 'Runs of a job', undefined, z.array(Run)],
  ['get', '/jobs/{id}/snapshots', 'Snapshots of a job', undefined, z.array(SnapshotRecord)],
  ['get', '/jobs/{id}/export', 'Export (?format=json|cli)', undefined, JobExport],
  ['get', '/runs/{id}', 'A run', undefined, Run],
  [
    'post',
    '/tickets',
    'A one-time ticket (60 s) for one events or download link; the returned url carries it as ?ticket=',
    TicketRequest,
    Ticket,
  ],
  [
    'get',
    '/runs/{id}/events',
    'Server-sent events of a run: status, progress, started, finished (Bearer token, or ?ticket=)',
  ],
  ['post', '/runs/{id}/cancel', 'Cancel a run'],
  ['get', '/runs/{id}/log', 'The log lines of a run'],
  ['get', '/snapshots/{id}/tree', 'A folder of a snapshot (?jobId=&path=)', undefined, z.array(TreeEntry)],
  [
    'get',
    '/snapshots/{id}/download',
    'A file (?jobId=&path=), or a folder as a tar archive, streamed (Bearer token, or ?ticket=)',
  ],
  [
    'post',
    '/restores',
    'Restore files of a snapshot under the restore root',
    RestoreParams.extend({ jobId: z.uuid() }),
    Run,
  ],
  ['get', '/scheduler', 'Whether scheduling is paused, and the next fires'],
  ['post', '/scheduler/pause', 'Stop scheduled runs ({ durationMs } or until resumed)'],
  ['post', '/scheduler/resume', 'Resume scheduled runs'],
  ['get', '/channels', 'List notification channels', undefined, z.array(Channel)],
  ['post', '/channels', 'Create a notification channel (email, http, telegram)', ChannelInput, Channel],
  ['get', '/channels/{id}', 'A notification channel', undefined, Channel],
  ['patch', '/channels/{id}', 'Change a notification channel', ChannelPatch, Channel],
  ['delete', '/channels/{id}', 'Remove a notification channel and its delivery records'],
  ['post', '/channels/{id}/test', 'Send a test report through the channel now', undefined, TestSendResult],
  [
    'get',
    '/channels/{id}/deliveries',
    'Delivery attempts through the channel (?limit=)',
    undefined,
    z.array(Delivery),
  ],
  ['get', '/settings', 'Settings'],
  ['put', '/settings', 'Change settings'],
  ['get', '/health', 'Reachability of NATS and the catalog'],
  ['get', '/about', 'Versions, and whether each service answers'],
  ['get', '/runner', "The runner's source roots and restore root"],
  [
    'get',
    '/sources',
    'Folders under the runner source roots (?path=; / lists the roots)',
    undefined,
    z.array(TreeEntry),
  ],
];

const PUBLIC = new Set(['/auth/login', '/auth/refresh', '/auth/logout', '/health']);

/** The API description, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const json = (schema: z.ZodType) => ({
    'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary, body, response] of ROUTES) {
    (paths[`/api/v1${path}`] ??= {})[method] = {
      summary,
      ...(PUBLIC.has(path) ? { security: [] } : {}),
      ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
      responses: {
        '200': { description: 'OK', ...(response ? { content: json(response) } : {}) },
        '400': { description: 'Invalid input; `error.field` names the field' },
        '401': { description: 'Missing or expired access token (never accepted in the query)' },
        '404': { description: 'No such resource' },
        '503': { description: 'A service or the database does not answer; try again' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cairn API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
