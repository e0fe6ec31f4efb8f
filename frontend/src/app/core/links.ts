import { inject, Injectable } from '@angular/core';
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
    return (await this.api.ticket('events', `/api/v1/runs/${runId}/events`)).url;
  }

  /** Starts the browser's download of a file, or a folder as a tar archive, of a snapshot. */
  async download(snapshotId: string, jobId: string, path: string): Promise<void> {
    const query = new URLSearchParams({ jobId, path });
    const { url } = await this.api.ticket('download', `/api/v1/snapshots/${snapshotId}/download?${query}`);
    const link = document.createElement('a');
    link.href = url;
    link.download = '';
    link.click();
  }
}
