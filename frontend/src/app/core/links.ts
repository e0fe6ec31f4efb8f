import { inject, Injectable } from '@angular/core';
import { AuthService } from './auth';

/**
 * URLs a browser opens itself (EventSource, a download link), which cannot carry an Authorization
 * header: the gateway accepts the access token as a query parameter on exactly these routes.
 */
@Injectable({ providedIn: 'root' })
export class LinkService {
  private readonly auth = inject(AuthService);

  runEvents(runId: string): string {
    return this.withToken(`/api/v1/runs/${runId}/events`, {});
  }

  download(snapshotId: string, jobId: string, path: string): string {
    return this.withToken(`/api/v1/snapshots/${snapshotId}/download`, { jobId, path });
  }

  private withToken(path: string, params: Record<string, string>): string {
    const query = new URLSearchParams({ ...params, access_token: this.auth.accessToken() ?? '' });
    return `${path}?${query}`;
  }
}
