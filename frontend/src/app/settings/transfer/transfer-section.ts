import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../../core/api';
import type { Destination, Job } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { JobExportList } from './job-export-list';
import { JobImportForm } from './job-import-form';

/** Export and import share the list of jobs and destinations: an import adds to the export list. */
@Component({
  selector: 'app-transfer-section',
  imports: [JobExportList, JobImportForm, MatIconModule, MatProgressBarModule],
  templateUrl: './transfer-section.html',
  styleUrl: './transfer-section.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TransferSection {
  private readonly api = inject(ApiService);

  protected readonly jobs = signal<Job[]>([]);
  protected readonly destinations = signal<Destination[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    try {
      const [jobs, destinations] = await Promise.all([this.api.jobs(), this.api.destinations()]);
      this.jobs.set(jobs);
      this.destinations.set(destinations);
      this.error.set(null);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
