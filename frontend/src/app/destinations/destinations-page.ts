import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../core/api';
import type { Destination, Job } from '../core/api.types';
import { describeError } from '../core/errors';
import { DestinationCard } from './destination-card';
import { jobsByDestination } from './destination-edit';
import { removingById, replacingById } from '../core/by-id';

/** The saved destinations, each with the jobs that use it: rename, new credentials, test, remove. */
@Component({
  selector: 'app-destinations-page',
  imports: [DestinationCard, MatIconModule, MatProgressBarModule],
  templateUrl: './destinations-page.html',
  styleUrl: './destinations-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DestinationsPage {
  private readonly api = inject(ApiService);

  protected readonly destinations = signal<Destination[]>([]);
  private readonly jobs = signal<Job[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly usedBy = computed(() => jobsByDestination(this.jobs()));

  constructor() {
    void this.load();
  }

  protected changed(destination: Destination): void {
    this.destinations.update(replacingById(destination));
  }

  protected removed(id: string): void {
    this.destinations.update(removingById(id));
  }

  private async load(): Promise<void> {
    try {
      const [destinations, jobs] = await Promise.all([this.api.destinations(), this.api.jobs()]);
      this.destinations.set(destinations);
      this.jobs.set(jobs);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
