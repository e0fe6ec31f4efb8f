import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { API } from '@contracts/http/api';
import type { TicketPurpose } from '@contracts/http/bodies';
import type { Route, RouteInput, RouteOutput } from '@contracts/http/route';
import type { JobExport, JobInput, RunKind, VerifyParams } from './api.types';
import { request } from './route-request';

/** What a route takes as its body. */
type BodyOf<R> = RouteInput<R>['body'];

/** Every REST call the app makes (DESIGN §6), through the routes the contracts declare. */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  private send<R extends Route>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
    return request(this.http, route, input);
  }

  // Jobs
  jobs = () => this.send(API.jobs.list, {});
  job = (id: string) => this.send(API.jobs.get, { params: { id } });
  /** A wizard's draft: the server names the field it still misses. */
  createJob = (input: Partial<JobInput>) =>
    this.send(API.jobs.create, { body: input as BodyOf<typeof API.jobs.create> });
  updateJob = (id: string, patch: BodyOf<typeof API.jobs.update>) =>
    this.send(API.jobs.update, { params: { id }, body: patch });
  removeJob = (id: string) => this.send(API.jobs.remove, { params: { id } });
  /** `verify` only with kind verify: how much data it reads back. */
  runJob = (id: string, kind: Exclude<RunKind, 'restore'> = 'backup', verify?: VerifyParams) =>
    this.send(API.jobs.run, { params: { id }, body: { kind, ...(verify ? { verify } : {}) } });
  recentRuns = (perJob = 20) => this.send(API.runs.recent, { query: { perJob } });
  jobRuns = (id: string, limit = 20) => this.send(API.jobs.runs, { params: { id }, query: { limit } });
  jobSnapshots = (id: string) => this.send(API.jobs.snapshots, { params: { id } });
  /** `format=json` answers the export itself, never the command line. */
  exportJob = (id: string) =>
    this.send(API.jobs.export, { params: { id }, query: { format: 'json' } }) as Promise<JobExport>;
  /** A file read from disk: the server checks its job, naming the field it refuses. */
  importJob = (body: JobExport & { passphrase: string; destinationSecrets?: Record<string, string> }) =>
    this.send(API.jobs.import, { body: body as BodyOf<typeof API.jobs.import> });

  // Destinations
  destinations = () => this.send(API.destinations.list, {});
  destination = (id: string) => this.send(API.destinations.get, { params: { id } });
  createDestination = (input: BodyOf<typeof API.destinations.create>) =>
    this.send(API.destinations.create, { body: input });
  updateDestination = (id: string, patch: BodyOf<typeof API.destinations.update>) =>
    this.send(API.destinations.update, { params: { id }, body: patch });
  removeDestination = (id: string) => this.send(API.destinations.remove, { params: { id } });
  testDestination = (input: BodyOf<typeof API.destinations.testUnsaved>) =>
    this.send(API.destinations.testUnsaved, { body: input });
  testSavedDestination = (id: string) => this.send(API.destinations.test, { params: { id } });

  // Runs, snapshots, restores
  /** Every job's runs (or one job's), newest first: a page of the run history. */
  runs = (filter: RouteInput<typeof API.runs.list>['query']) => this.send(API.runs.list, { query: filter });
  run = (id: string) => this.send(API.runs.get, { params: { id } });
  cancelRun = (id: string) => this.send(API.runs.cancel, { params: { id } });
  runLog = (id: string) => this.send(API.runs.log, { params: { id } });
  /** Every attempt to send the run's report, newest first. */
  runDeliveries = (id: string) => this.send(API.runs.deliveries, { params: { id } });
  /** A one-time URL (valid a minute) for a link the browser opens itself. */
  ticket = (purpose: TicketPurpose, path: string) =>
    this.send(API.tickets.issue, { body: { purpose, path } });
  snapshotTree = (snapshotId: string, jobId: string, path: string) =>
    this.send(API.snapshots.tree, { params: { snapshotId }, query: { jobId, path } });
  restore = (body: BodyOf<typeof API.restores.start>) => this.send(API.restores.start, { body });

  // The runner's folders
  sources = (path = '/') => this.send(API.sources.list, { query: { path } });
  runnerFolders = () => this.send(API.system.runner, {});

  // Notification channels
  channels = () => this.send(API.channels.list, {});
  createChannel = (input: BodyOf<typeof API.channels.create>) =>
    this.send(API.channels.create, { body: input });
  updateChannel = (id: string, patch: BodyOf<typeof API.channels.update>) =>
    this.send(API.channels.update, { params: { id }, body: patch });
  removeChannel = (id: string) => this.send(API.channels.remove, { params: { id } });
  testChannel = (id: string) => this.send(API.channels.test, { params: { id } });
  deliveries = (id: string) => this.send(API.channels.deliveries, { params: { id } });

  // System
  scheduler = () => this.send(API.scheduler.status, {});
  /** `null`: until resumed. */
  pauseScheduler = (durationMs: number | null) => this.send(API.scheduler.pause, { body: { durationMs } });
  resumeScheduler = () => this.send(API.scheduler.resume, {});
  about = () => this.send(API.system.about, {});
}
