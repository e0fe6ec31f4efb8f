import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { ApiService } from '../core/api';
import type { Destination, DestinationTestResult, Job } from '../core/api.types';
import { describeError } from '../core/errors';
import { describeDestinationUrl } from '../jobs/lib/destination-url';
import { destinationNameProblem, destinationPatch, secretFields } from './destination-edit';

/** One destination: where it is, the jobs using it, and its actions (test, edit, remove). */
@Component({
  selector: 'app-destination-card',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, RouterLink],
  templateUrl: './destination-card.html',
  styleUrl: './destination-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DestinationCard {
  private readonly api = inject(ApiService);
  readonly destination = input.required<Destination>();
  readonly jobs = input.required<readonly Job[]>();
  readonly changed = output<Destination>();
  readonly removed = output<string>();

  protected readonly where = computed(() => describeDestinationUrl(this.destination().url));
  protected readonly secretFields = computed(() => secretFields(this.destination().url));

  protected readonly editing = signal(false);
  protected readonly name = signal('');
  protected readonly typed = signal<Record<string, string>>({});
  protected readonly nameProblem = signal<string | null>(null);
  protected readonly saving = signal(false);

  protected readonly testing = signal(false);
  protected readonly test = signal<DestinationTestResult | null>(null);
  protected readonly confirmingRemove = signal(false);
  protected readonly error = signal<string | null>(null);

  protected isSet(secret: string): boolean {
    return this.destination().secrets[secret]?.set ?? false;
  }

  protected edit(): void {
    this.name.set(this.destination().name);
    this.typed.set({});
    this.nameProblem.set(null);
    this.error.set(null);
    this.editing.set(true);
  }

  protected type(secret: string, value: string): void {
    this.typed.update((typed) => ({ ...typed, [secret]: value }));
  }

  protected async save(): Promise<void> {
    const problem = destinationNameProblem(this.name());
    this.nameProblem.set(problem);
    if (problem) return;
    const patch = destinationPatch(this.destination(), this.name(), this.typed());
    this.saving.set(true);
    this.error.set(null);
    try {
      const saved =
        Object.keys(patch).length > 0
          ? await this.api.updateDestination(this.destination().id, patch)
          : this.destination();
      this.editing.set(false);
      this.test.set(null);
      this.changed.emit(saved);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.saving.set(false);
    }
  }

  protected async runTest(): Promise<void> {
    this.testing.set(true);
    this.test.set(null);
    this.error.set(null);
    try {
      this.test.set(await this.api.testSavedDestination(this.destination().id));
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.testing.set(false);
    }
  }

  protected async remove(): Promise<void> {
    this.confirmingRemove.set(false);
    this.error.set(null);
    try {
      await this.api.removeDestination(this.destination().id);
      this.removed.emit(this.destination().id);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }
}
