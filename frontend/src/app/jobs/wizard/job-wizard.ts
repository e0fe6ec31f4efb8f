import { BreakpointObserver } from '@angular/cdk/layout';
import { HttpErrorResponse } from '@angular/common/http';
import { STEPPER_GLOBAL_OPTIONS } from '@angular/cdk/stepper';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { form, type FieldTree } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatStepper, MatStepperModule } from '@angular/material/stepper';
import { Router } from '@angular/router';
import { map } from 'rxjs';
import { ApiService } from '../../core/api';
import type { Channel, Destination } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { suggestedDestinationName } from '../lib/destination-url';
import { destinationTarget, draftOf, emptyDraft, jobInputOf, jobSchema, type JobDraft } from './job-draft';
import { DestinationStep } from './steps/destination-step';
import { GeneralStep } from './steps/general-step';
import { OptionsStep } from './steps/options-step';
import { RetentionStep } from './steps/retention-step';
import { ScheduleStep } from './steps/schedule-step';
import { SourcesStep } from './steps/sources-step';
import { SummaryStep } from './steps/summary-step';

/** New backup, or edit one: seven steps, each checked before the next one opens. */
@Component({
  selector: 'app-job-wizard',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatStepperModule,
    GeneralStep,
    DestinationStep,
    SourcesStep,
    ScheduleStep,
    RetentionStep,
    OptionsStep,
    SummaryStep,
  ],
  templateUrl: './job-wizard.html',
  styleUrl: './job-wizard.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [
    { provide: STEPPER_GLOBAL_OPTIONS, useValue: { showError: true, displayDefaultIndicatorType: false } },
    // Long hints wrap on a phone instead of being cut off.
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      useValue: { appearance: 'outline', subscriptSizing: 'dynamic' },
    },
  ],
})
export class JobWizardPage {
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  /** The job's id when editing (route jobs/:id/edit). */
  readonly id = input<string>();
  protected readonly editing = computed(() => !!this.id());

  protected readonly draft = signal<JobDraft>(emptyDraft());
  protected readonly jobForm = form(
    this.draft,
    jobSchema(() => this.editing()),
  );
  protected readonly destinations = signal<Destination[]>([]);
  protected readonly channels = signal<Channel[]>([]);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  /** The step holding the field the API refused, when it named one. */
  protected readonly saveErrorStep = signal<{ index: number; label: string } | null>(null);
  protected readonly savedName = signal('');
  private readonly attempted = signal(new Set<keyof JobDraft>());
  private readonly seen = signal(new Set<keyof JobDraft>());

  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 759.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  private readonly stepper = viewChild(MatStepper);

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string | undefined): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const [destinations, channels, job] = await Promise.all([
        this.api.destinations(),
        this.api.channels(),
        id ? this.api.job(id) : Promise.resolve(null),
      ]);
      this.destinations.set(destinations);
      this.channels.set(channels);
      if (job) {
        this.draft.set(draftOf(job));
        this.savedName.set(job.name);
      } else if (destinations.length > 0) {
        this.jobForm.destination.mode().value.set('existing');
        this.jobForm.destination.existingId().value.set(destinations[0].id);
      }
    } catch (error) {
      this.loadError.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** Opens the next step, or shows what is missing on this one and puts the cursor there. */
  protected next(step: keyof JobDraft): void {
    const fields: FieldTree<unknown> = this.jobForm[step];
    fields().markAsTouched();
    const firstError = fields().errorSummary()[0];
    if (firstError) {
      this.attempted.update((steps) => new Set(steps).add(step));
      firstError.fieldTree().focusBoundControl();
      return;
    }
    this.seen.update((steps) => new Set(steps).add(step));
    const stepper = this.stepper();
    // The [completed] binding catches up at the next change detection; the stepper asks now.
    if (stepper?.selected) stepper.selected.completed = true;
    stepper?.next();
  }

  /** Done steps get a tick only once seen: a valid default not yet looked at is not "done". */
  protected isDone(step: keyof JobDraft): boolean {
    return (this.editing() || this.seen().has(step)) && this.jobForm[step]().valid();
  }

  /** A step's header turns red once Next was refused there, until it is fixed. */
  protected hasError(step: keyof JobDraft): boolean {
    return this.attempted().has(step) && this.jobForm[step]().invalid();
  }

  /** Keyboard and screen reader users land on the title of the step they moved to. */
  protected focusTitle(index: number): void {
    afterNextRender(
      () => this.host.nativeElement.querySelectorAll<HTMLElement>('[data-step-title]')[index]?.focus(),
      { injector: this.injector },
    );
  }

  protected goTo(index: number): void {
    const stepper = this.stepper();
    if (stepper) stepper.selectedIndex = index;
  }

  protected async save(): Promise<void> {
    this.jobForm().markAsTouched();
    if (this.jobForm().invalid()) {
      this.attempted.set(new Set(Object.keys(this.draft()) as (keyof JobDraft)[]));
      this.saveError.set('Some steps still need attention: they are marked in red above.');
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.saveErrorStep.set(null);
    try {
      const destinationId = await this.ensureDestination();
      const input = jobInputOf(this.draft(), destinationId);
      const id = this.id();
      if (id) await this.api.updateJob(id, input);
      else await this.api.createJob(input);
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.saveError.set(describeError(error));
      this.saveErrorStep.set(stepOfField(error));
    } finally {
      this.saving.set(false);
    }
  }

  /**
   * Creates a new destination first; the draft then points at it, so that trying again after a
   * failed save does not create it twice.
   */
  private async ensureDestination(): Promise<string> {
    const destination = this.draft().destination;
    if (destination.mode === 'existing') return destination.existingId;
    const target = destinationTarget(destination);
    const created = await this.api.createDestination({
      name:
        destination.name.trim() ||
        suggestedDestinationName(
          target.url,
          this.destinations().map((saved) => saved.name),
        ),
      ...target,
    });
    this.destinations.update((list) => [...list, created]);
    this.jobForm.destination.existingId().value.set(created.id);
    this.jobForm.destination.mode().value.set('existing');
    return created.id;
  }
}

/** Which step asks for the field an API error names ("name", "sources.0", "repositoryPath"…). */
const FIELD_STEPS: Record<string, { index: number; label: string }> = {
  name: { index: 0, label: 'General' },
  passphrase: { index: 0, label: 'General' },
  destinationId: { index: 1, label: 'Destination' },
  repositoryPath: { index: 1, label: 'Destination' },
  url: { index: 1, label: 'Destination' },
  options: { index: 1, label: 'Destination' },
  secrets: { index: 1, label: 'Destination' },
  sources: { index: 2, label: 'Sources' },
  excludes: { index: 2, label: 'Sources' },
  schedule: { index: 3, label: 'Schedule' },
  retention: { index: 4, label: 'Retention' },
  compression: { index: 5, label: 'Options' },
  packSizeMiB: { index: 5, label: 'Options' },
  channelIds: { index: 5, label: 'Options' },
};

function stepOfField(error: unknown): { index: number; label: string } | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const field = (error.error as { error?: { field?: string } } | null)?.error?.field;
  return (field && FIELD_STEPS[field.split('.')[0]]) || null;
}
