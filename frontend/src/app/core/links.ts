import { inject, Injectable } from '@angular/core';
import { API } from '@contracts/http/api';
import { urlOf } from '@contracts/http/route';
import { ApiService } from './api';

/**
 * URLs a browser opens itself (EventSource, a download link), which cannot carry an Authorization
 * header. Each is asked for just before it is opened: it carries a one-time ticket for that link
 * alone, valid a minute, never the access token (which would stay in history and proxy logs).
 */
@Injectable({ providedIn: 'root' })
export class LinkService {
  private readonly api = inject(ApiService);

  async runEvents(runId: string): Promise<string> {
    return (await this.api.ticket('events', urlOf(API.runs.events, { params: { id: runId } }))).url;
  }

  /** Every run's events, for the dashboard. */
  async activityEvents(): Promise<string> {
    return (await this.api.ticket('activity', urlOf(API.runs.activity, {}))).url;
  }

  /** Starts the browser's download of a file, or a folder as a tar archive, of a snapshot. */
  async download(snapshotId: string, jobId: string, path: string): Promise<void> {
    const link = urlOf(API.snapshots.download, { params: { snapshotId }, query: { jobId, path } });
    const { url } = await this.api.ticket('download', link);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = '';
    anchor.click();
  }
}
