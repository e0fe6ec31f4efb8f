// Every REST route of the gateway (DESIGN §6), declared once. Browser-safe: the web app imports it.
// Contracts import zod as a namespace (`import * as z`): a bundler then keeps only the parts used,
// where `import { z }` carries all of zod (with every locale) into the web app.
import * as z from 'zod';
import { CATALOG, NOTIFIER, RUNNER, SCHEDULER } from '../endpoints.js';
import { ChannelInput, ChannelPatch } from '../schemas/channel.js';
import { Id } from '../schemas/common.js';
import { DestinationInput, DestinationPatch } from '../schemas/destination.js';
import { JobInput, JobPatch } from '../schemas/job.js';
import { RestoreParams, RunFilter } from '../schemas/run.js';
import {
  About,
  Health,
  JobExport,
  JobImport,
  LoginBody,
  PasswordBody,
  RunNow,
  SnapshotId,
  Ticket,
  TicketPurpose,
  Tokens,
} from './bodies.js';
import { matchesPath, route, type Route } from './route.js';

const ById = z.object({ id: Id });
const Limit = z.coerce.number().int().min(1).max(500);
const Settings = z.record(z.string(), z.unknown());

/** The routes a browser opens itself (EventSource, a download link): no Authorization header there. */
export const LINK_ROUTES = {
  events: route({
    method: 'GET',
    path: '/api/v1/runs/:id/events',
    summary: 'Server-sent events of a run: status, progress, started, finished (Bearer token, or ?ticket=)',
    params: ById,
    link: true,
    produces: 'text/event-stream',
  }),
  activity: route({
    method: 'GET',
    path: '/api/v1/activity',
    summary:
      'Server-sent events of every run: progress, started, finished, and a ping every 25 s (Bearer token, or ?ticket=)',
    link: true,
    produces: 'text/event-stream',
  }),
  download: route({
    method: 'GET',
    path: '/api/v1/snapshots/:snapshotId/download',
    summary: 'A file (?jobId=&path=), or a folder as a tar archive, streamed (Bearer token, or ?ticket=)',
    params: SnapshotId,
    query: z.object({ jobId: Id, path: z.string().startsWith('/') }),
    link: true,
    produces: 'application/octet-stream',
  }),
};

export const TicketRequest = z
  .object({
    purpose: TicketPurpose,
    /** The link's path and query, e.g. /api/v1/snapshots/…/download?jobId=…&path=/docs */
    path: z.string().startsWith('/api/v1/').max(8192),
  })
  .refine(({ purpose, path }) => matchesPath(LINK_ROUTES[purpose], new URL(path, 'http://link').pathname), {
    path: ['path'],
    message:
      'is not a link of that purpose (/api/v1/runs/{id}/events, /api/v1/activity or /api/v1/snapshots/{id}/download)',
  });

export const API = {
  auth: {
    login: route({
      method: 'POST',
      path: '/api/v1/auth/login',
      summary:
        'Sign in with the admin password (JSON only; 5 attempts a minute per address, 429 beyond; 503 when too many sign-ins are being checked at once)',
      public: true,
      status: 200,
      body: LoginBody,
      response: Tokens,
    }),
    refresh: route({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      summary: 'New access token from the refresh cookie',
      public: true,
      status: 200,
      response: Tokens,
    }),
    logout: route({
      method: 'POST',
      path: '/api/v1/auth/logout',
      summary: 'End the session',
      public: true,
      status: 204,
    }),
    password: route({
      method: 'POST',
      path: '/api/v1/auth/password',
      summary: 'Change the admin password',
      status: 200,
      body: PasswordBody,
      response: Tokens,
    }),
  },
  tickets: {
    issue: route({
      method: 'POST',
      path: '/api/v1/tickets',
      summary:
        'A one-time ticket (60 s) for one events or download link; the returned url carries it as ?ticket=',
      body: TicketRequest,
      response: Ticket,
    }),
  },
  destinations: {
    list: route({
      method: 'GET',
      path: '/api/v1/destinations',
      summary: 'List destinations',
      response: CATALOG.destinations.list.response,
    }),
    create: route({
      method: 'POST',
      path: '/api/v1/destinations',
      summary: 'Create a destination',
      body: DestinationInput,
      response: CATALOG.destinations.create.response,
    }),
    testUnsaved: route({
      method: 'POST',
      path: '/api/v1/destinations/test',
      summary: 'Write, list, read back and delete a test file at an unsaved destination',
      status: 200,
      body: RUNNER.testDestination.request,
      response: RUNNER.testDestination.response,
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/destinations/:id',
      summary: 'A destination',
      params: ById,
      response: CATALOG.destinations.get.response,
    }),
    update: route({
      method: 'PATCH',
      path: '/api/v1/destinations/:id',
      summary: 'Change a destination',
      params: ById,
      body: DestinationPatch,
      response: CATALOG.destinations.update.response,
    }),
    remove: route({
      method: 'DELETE',
      path: '/api/v1/destinations/:id',
      summary: 'Remove an unused destination',
      params: ById,
      status: 204,
    }),
    test: route({
      method: 'POST',
      path: '/api/v1/destinations/:id/test',
      summary: 'Write, list, read back and delete a test file there',
      params: ById,
      status: 200,
      response: RUNNER.testSavedDestination.response,
    }),
  },
  jobs: {
    list: route({
      method: 'GET',
      path: '/api/v1/jobs',
      summary: 'List jobs',
      response: CATALOG.jobs.list.response,
    }),
    create: route({
      method: 'POST',
      path: '/api/v1/jobs',
      summary: 'Create a job',
      body: JobInput,
      response: CATALOG.jobs.create.response,
    }),
    import: route({
      method: 'POST',
      path: '/api/v1/jobs/import',
      summary: 'Create a job from an export (its destination too, unless one with that URL exists)',
      body: JobImport,
      response: CATALOG.jobs.create.response,
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/jobs/:id',
      summary: 'A job',
      params: ById,
      response: CATALOG.jobs.get.response,
    }),
    update: route({
      method: 'PATCH',
      path: '/api/v1/jobs/:id',
      summary: 'Change a job',
      params: ById,
      body: JobPatch,
      response: CATALOG.jobs.update.response,
    }),
    remove: route({
      method: 'DELETE',
      path: '/api/v1/jobs/:id',
      summary: 'Remove a job',
      params: ById,
      status: 204,
    }),
    run: route({
      method: 'POST',
      path: '/api/v1/jobs/:id/run',
      summary: 'Run a job now',
      params: ById,
      status: 202,
      body: RunNow,
      response: CATALOG.runs.get.response,
    }),
    runs: route({
      method: 'GET',
      path: '/api/v1/jobs/:id/runs',
      summary: 'Runs of a job, newest first (?limit=, 50 unless given)',
      params: ById,
      query: z.object({ limit: Limit.optional() }),
      response: CATALOG.runs.list.response,
    }),
    snapshots: route({
      method: 'GET',
      path: '/api/v1/jobs/:id/snapshots',
      summary: 'Snapshots of a job',
      params: ById,
      response: CATALOG.snapshots.list.response,
    }),
    export: route({
      method: 'GET',
      path: '/api/v1/jobs/:id/export',
      summary:
        'Export for import elsewhere (?format=json), or the equivalent cairn backup line (?format=cli)',
      params: ById,
      query: z.object({ format: z.enum(['json', 'cli']).default('json') }),
      response: z.union([JobExport, z.object({ commandLine: z.string() })]),
    }),
  },
  runs: {
    recent: route({
      method: 'GET',
      path: '/api/v1/recent-runs',
      summary: 'The newest runs of every job, newest first within each (?perJob=, 20 unless given)',
      query: z.object({ perJob: z.coerce.number().int().min(1).max(50).optional() }),
      response: CATALOG.runs.recent.response,
    }),
    list: route({
      method: 'GET',
      path: '/api/v1/runs',
      summary: 'Runs of every job, newest first (?jobId=&status=&kind=&limit=&offset=)',
      query: RunFilter.extend({ limit: Limit.optional(), offset: z.coerce.number().int().min(0).optional() }),
      response: CATALOG.runs.list.response,
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/runs/:id',
      summary: 'A run',
      params: ById,
      response: CATALOG.runs.get.response,
    }),
    events: LINK_ROUTES.events,
    activity: LINK_ROUTES.activity,
    cancel: route({
      method: 'POST',
      path: '/api/v1/runs/:id/cancel',
      summary: 'Cancel a run',
      params: ById,
      status: 202,
      response: z.object({ cancelling: z.boolean() }),
    }),
    log: route({
      method: 'GET',
      path: '/api/v1/runs/:id/log',
      summary: 'The log lines of a run',
      params: ById,
      response: CATALOG.runs.log.response,
    }),
    deliveries: route({
      method: 'GET',
      path: '/api/v1/runs/:id/deliveries',
      summary: 'Every attempt to send the report of a run through a notification channel, newest first',
      params: ById,
      response: CATALOG.deliveries.list.response,
    }),
  },
  snapshots: {
    tree: route({
      method: 'GET',
      path: '/api/v1/snapshots/:snapshotId/tree',
      summary: 'A folder of a snapshot (?jobId=&path=)',
      params: SnapshotId,
      query: z.object({ jobId: Id, path: z.string().default('/') }),
      response: RUNNER.snapshotTree.response,
    }),
    download: LINK_ROUTES.download,
  },
  restores: {
    start: route({
      method: 'POST',
      path: '/api/v1/restores',
      summary: 'Restore files of a snapshot under the restore root',
      status: 202,
      body: RestoreParams.extend({ jobId: Id }),
      response: CATALOG.runs.get.response,
    }),
  },
  scheduler: {
    status: route({
      method: 'GET',
      path: '/api/v1/scheduler',
      summary: 'Whether scheduling is paused, and the next fires',
      response: SCHEDULER.status.response,
    }),
    pause: route({
      method: 'POST',
      path: '/api/v1/scheduler/pause',
      summary: 'Stop scheduled runs for durationMs, or until resumed (null)',
      status: 200,
      body: z.object({ durationMs: z.number().int().positive().nullable().default(null) }),
      response: SCHEDULER.pause.response,
    }),
    resume: route({
      method: 'POST',
      path: '/api/v1/scheduler/resume',
      summary: 'Resume scheduled runs',
      status: 200,
      response: SCHEDULER.pause.response,
    }),
  },
  channels: {
    list: route({
      method: 'GET',
      path: '/api/v1/channels',
      summary: 'List notification channels',
      response: CATALOG.channels.list.response,
    }),
    create: route({
      method: 'POST',
      path: '/api/v1/channels',
      summary: 'Create a notification channel (email, http, telegram)',
      body: ChannelInput,
      response: CATALOG.channels.create.response,
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/channels/:id',
      summary: 'A notification channel',
      params: ById,
      response: CATALOG.channels.get.response,
    }),
    update: route({
      method: 'PATCH',
      path: '/api/v1/channels/:id',
      summary: 'Change a notification channel',
      params: ById,
      body: ChannelPatch,
      response: CATALOG.channels.update.response,
    }),
    remove: route({
      method: 'DELETE',
      path: '/api/v1/channels/:id',
      summary: 'Remove a notification channel and its delivery records',
      params: ById,
      status: 204,
    }),
    test: route({
      method: 'POST',
      path: '/api/v1/channels/:id/test',
      summary: 'Send a test report through the channel now',
      params: ById,
      status: 200,
      response: NOTIFIER.test.response,
    }),
    deliveries: route({
      method: 'GET',
      path: '/api/v1/channels/:id/deliveries',
      summary: 'Delivery attempts through the channel, newest first (?limit=, 100 unless given)',
      params: ById,
      query: z.object({ limit: Limit.default(100) }),
      response: CATALOG.deliveries.list.response,
    }),
  },
  settings: {
    get: route({ method: 'GET', path: '/api/v1/settings', summary: 'Settings', response: Settings }),
    update: route({
      method: 'PUT',
      path: '/api/v1/settings',
      summary: 'Change settings',
      body: Settings,
      response: Settings,
    }),
  },
  sources: {
    list: route({
      method: 'GET',
      path: '/api/v1/sources',
      summary: 'Folders under the runner source roots (?path=; / lists the roots)',
      query: z.object({ path: z.string().startsWith('/').default('/') }),
      response: RUNNER.browse.response,
    }),
  },
  system: {
    health: route({
      method: 'GET',
      path: '/api/v1/health',
      summary: 'Reachability of NATS and the catalog',
      public: true,
      response: Health,
    }),
    about: route({
      method: 'GET',
      path: '/api/v1/about',
      summary: 'Versions, and whether each service answers',
      response: About,
    }),
    runner: route({
      method: 'GET',
      path: '/api/v1/runner',
      summary: "The runner's source roots and restore root",
      response: RUNNER.folders.response,
    }),
    docs: route({
      method: 'GET',
      path: '/api/docs',
      summary: 'This description of the API (OpenAPI 3.1)',
      public: true,
      response: z.record(z.string(), z.unknown()),
    }),
  },
} satisfies Record<string, Record<string, Route>>;

/** Every declared route, once. */
export const ROUTES: readonly Route[] = Object.values(API).flatMap((group) => Object.values(group));
