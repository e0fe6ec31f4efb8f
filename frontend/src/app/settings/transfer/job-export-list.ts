import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ApiService } from '../../core/api';
import type { Destination, Job } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { exportFileName } from './job-file';

/** Every job with a download of its configuration (no passphrase, no destination secrets). */
@Component({
  selector: 'app-job-export-list',
  imports: [MatButtonModule, MatIconModule],
  templateUrl: './job-export-list.html',
  styleUrl: './job-export-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobExportList {
  private readonly api = inject(ApiService);
  readonly jobs = input.required<readonly Job[]>();
  readonly destinations = input.required<readonly Destination[]>();

  protected readonly downloading = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);

  protected destinationName(job: Job): string {
    return this.destinations().find((destination) => destination.id === job.destinationId)?.name ?? '';
  }

  protected async download(job: Job): Promise<void> {
    this.downloading.set(job.id);
    this.error.set(null);
    try {
      const exported = await this.api.exportJob(job.id);
      const blob = new Blob([JSON.stringify(exported, null, 2) + '\n'], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(job.name);
      link.click();
      // The click has started the download; the object URL is no longer needed after this task.
      setTimeout(() => URL.revokeObjectURL(url));
    } catch (error) {
      this.error.set(`Could not export “${job.name}”: ${describeError(error)}`);
    } finally {
      this.downloading.set(null);
    }
  }
}
