import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../../core/api';
import type { About } from '../../core/api.types';
import { describeError } from '../../core/errors';

/** Versions and whether each service answers now (the gateway asks each one when this loads). */
@Component({
  selector: 'app-about-section',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  templateUrl: './about-section.html',
  styleUrl: './about-section.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AboutSection {
  private readonly api = inject(ApiService);

  protected readonly about = signal<About | null>(null);
  protected readonly checking = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly failures = computed(
    () => this.about()?.services.filter((service) => !service.ok).length ?? 0,
  );

  constructor() {
    void this.check();
  }

  protected async check(): Promise<void> {
    this.checking.set(true);
    this.error.set(null);
    try {
      this.about.set(await this.api.about());
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.checking.set(false);
    }
  }
}
