import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom, type Observable } from 'rxjs';
import type {
  About,
  Channel,
  ChannelInput,
  ChannelPatch,
  Delivery,
  Destination,
  DestinationInput,
  DestinationPatch,
  DestinationTestResult,
  Job,
  JobExport,
  JobInput,
  JobPatch,
  Run,
  RunKind,
  SchedulerStatus,
  SnapshotRecord,
  TestSendResult,
  TreeEntry,
} from './api.types';

const API = '/api/v1';

/** Every REST call the app makes (DESIGN §6), as promises of the contracts' types. */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  private get<T>(path: string, params?: Record<string, string | number>): Promise<T> {
    return call(
      this.http.get<T>(`${API}${path}`, { params: params && new HttpParams({ fromObject: params }) }),
    );
  }
  private post<T>(path: string, body: unknown = {}): Promise<T> {
    return call(this.http.post<T>(`${API}${path}`, body));
  }
  private patch<T>(path: string, body: unknown): Promise<T> {
    return call(this.http.patch<T>(`${API}${path}`, body));
  }
  private delete(path: string): Promise<unknown> {
    return call(this.http.delete(`${API}${path}`));
  }

  // Jobs
  jobs = () => this.get<Job[]>('/jobs');
  job = (id: string) => this.get<Job>(`/jobs/${id}`);
  createJob = (input: Partial<JobInput>) => this.post<Job>('/jobs', input);
  updateJob = (id: string, patch: JobPatch) => this.patch<Job>(`/jobs/${id}`, patch);
  removeJob = (id: string) => this.delete(`/jobs/${id}`);
  runJob = (id: string, kind: Exclude<RunKind, 'restore'> = 'backup') =>
    this.post<Run>(`/jobs/${id}/run`, { kind });
  jobRuns = (id: string, limit = 20) => this.get<Run[]>(`/jobs/${id}/runs`, { limit });
  jobSnapshots = (id: string) => this.get<SnapshotRecord[]>(`/jobs/${id}/snapshots`);
  exportJob = (id: string) => this.get<JobExport>(`/jobs/${id}/export`);
  importJob = (body: JobExport & { passphrase: string; destinationSecrets?: Record<string, string> }) =>
    this.post<Job>('/jobs/import', body);

  // Destinations
  destinations = () => this.get<Destination[]>('/destinations');
  destination = (id: string) => this.get<Destination>(`/destinations/${id}`);
  createDestination = (input: DestinationInput) => this.post<Destination>('/destinations', input);
  updateDestination = (id: string, patch: DestinationPatch) =>
    this.patch<Destination>(`/destinations/${id}`, patch);
  testDestination = (input: Pick<DestinationInput, 'url' | 'options' | 'secrets'>) =>
    this.post<DestinationTestResult>('/destinations/test', input);
  testSavedDestination = (id: string) => this.post<DestinationTestResult>(`/destinations/${id}/test`);

  // Runs, snapshots, restores
  run = (id: string) => this.get<Run>(`/runs/${id}`);
  cancelRun = (id: string) => this.post<{ cancelling: boolean }>(`/runs/${id}/cancel`);
  runLog = (id: string) => this.get<{ lines: string[] }>(`/runs/${id}/log`);
  /** A one-time URL (valid a minute) for a link the browser opens itself. */
  ticket = (purpose: 'events' | 'download', path: string) =>
    this.post<{ ticket: string; url: string; expiresIn: number }>('/tickets', { purpose, path });
  snapshotTree = (snapshotId: string, jobId: string, path: string) =>
    this.get<TreeEntry[]>(`/snapshots/${snapshotId}/tree`, { jobId, path });
  restore = (body: { jobId: string; snapshotId: string; include: string[]; target: string }) =>
    this.post<Run>('/restores', body);

  // The runner's folders
  sources = (path = '/') => this.get<TreeEntry[]>('/sources', { path });
  runnerFolders = () => this.get<{ sourceRoots: string[]; restoreRoot: string }>('/runner');

  // Notification channels
  channels = () => this.get<Channel[]>('/channels');
  createChannel = (input: ChannelInput) => this.post<Channel>('/channels', input);
  updateChannel = (id: string, patch: ChannelPatch) => this.patch<Channel>(`/channels/${id}`, patch);
  removeChannel = (id: string) => this.delete(`/channels/${id}`);
  testChannel = (id: string) => this.post<TestSendResult>(`/channels/${id}/test`);
  deliveries = (id: string) => this.get<Delivery[]>(`/channels/${id}/deliveries`);

  // System
  scheduler = () => this.get<SchedulerStatus>('/scheduler');
  about = () => this.get<About>('/about');
}

function call<T>(observable: Observable<T>): Promise<T> {
  return firstValueFrom(observable);
}
