import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { defaultRepositoryPath } from '@contracts/repository-location';
import type { Channel, Destination } from '../../../core/api.types';
import { browserTimeZone, cronOf, describeRun, describeSchedule, nextRuns } from '../../lib/cron';
import { describeDestinationUrl, suggestedDestinationName } from '../../lib/destination-url';
import { describeRetention, retentionOf } from '../../lib/retention';
import { describeVerifySchedule } from '../../lib/verify-schedule';
import { destinationTarget, type JobDraft } from '../job-draft';
import { COMPRESSION_WORDS } from './options-step';

interface SummaryItem {
  label: string;
  lines: string[];
}

interface SummarySection {
  title: string;
  step: number;
  items: SummaryItem[];
}

/** Step 7: every choice in words, each with a way back to change it. */
@Component({
  selector: 'app-summary-step',
  imports: [MatButtonModule, MatIconModule],
  templateUrl: './summary-step.html',
  styleUrl: './summary-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SummaryStep {
  readonly draft = input.required<JobDraft>();
  readonly destinations = input<Destination[]>([]);
  readonly channels = input<Channel[]>([]);
  readonly editing = input(false);
  /** The index of the step to open again. */
  readonly editStep = output<number>();

  protected readonly sections = computed<SummarySection[]>(() => {
    const draft = this.draft();
    return [
      {
        title: 'General',
        step: 0,
        items: [
          { label: 'Name', lines: [draft.general.name.trim()] },
          { label: 'Passphrase', lines: [this.passphraseWords()] },
        ],
      },
      { title: 'Destination', step: 1, items: this.destinationItems() },
      {
        title: 'Sources',
        step: 2,
        items: [
          { label: 'Back up', lines: draft.sources.paths },
          {
            label: 'Leave out',
            lines: draft.sources.excludes.length ? [draft.sources.excludes.join(', ')] : ['Nothing'],
          },
        ],
      },
      {
        title: 'Schedule',
        step: 3,
        items: [
          {
            label: 'Runs',
            lines: draft.options.enabled
              ? this.scheduleLines()
              : ['Paused (set in Options)', ...this.scheduleLines()],
          },
        ],
      },
      {
        title: 'Retention',
        step: 4,
        items: [{ label: 'Keeps', lines: [describeRetention(retentionOf(draft.retention))] }],
      },
      {
        title: 'Options',
        step: 5,
        items: [
          { label: 'Compression', lines: [COMPRESSION_WORDS[draft.options.compression]] },
          { label: 'Pack size', lines: [`${draft.options.packSizeMiB ?? 16} MiB`] },
          {
            label: 'Bandwidth',
            lines: [
              `Upload: ${rateWords(draft.options.uploadKiBps)}`,
              `Download: ${rateWords(draft.options.downloadKiBps)}`,
            ],
          },
          { label: 'Notifications', lines: [this.channelWords()] },
          { label: 'Verify', lines: [describeVerifySchedule(draft.options.verifyCron)] },
          {
            label: 'Overdue warning',
            lines: [
              draft.options.overdueHours === null
                ? 'After twice the time between scheduled runs'
                : `After ${draft.options.overdueHours} hours without a successful backup`,
            ],
          },
        ],
      },
    ];
  });

  private passphraseWords(): string {
    const set = !!this.draft().general.passphrase;
    if (this.editing()) return set ? 'Changed: the new passphrase applies from the next run' : 'Unchanged';
    return 'Set (keep it somewhere safe: it cannot be recovered)';
  }

  private destinationItems(): SummaryItem[] {
    const destination = this.draft().destination;
    const repository = destination.repositoryPath.trim() || defaultRepositoryPath(this.draft().general.name);
    const folder = { label: 'Repository folder', lines: [repository] };
    if (destination.mode === 'existing') {
      const saved = this.destinations().find((candidate) => candidate.id === destination.existingId);
      return [
        {
          label: 'Saved destination',
          lines: saved ? [saved.name, describeDestinationUrl(saved.url)] : ['—'],
        },
        folder,
      ];
    }
    const { url } = destinationTarget(destination);
    return [
      {
        label: 'New destination',
        lines: [
          destination.name.trim() ||
            suggestedDestinationName(
              url,
              this.destinations().map((saved) => saved.name),
            ),
          describeDestinationUrl(url),
        ],
      },
      folder,
    ];
  }

  private scheduleLines(): string[] {
    const schedule = this.draft().schedule;
    const cron = cronOf(schedule);
    const lines = [describeSchedule(schedule)];
    const timezone = browserTimeZone();
    const [next] = cron ? nextRuns(cron, timezone, 1) : [];
    if (next) lines.push(`Next: ${describeRun(next, timezone)} (${timezone})`);
    return lines;
  }

  private channelWords(): string {
    const chosen = this.draft().options.channelIds;
    const channels = this.channels();
    if (chosen.length > 0) {
      return channels
        .filter((channel) => chosen.includes(channel.id))
        .map((channel) => channel.name)
        .join(', ');
    }
    const defaults = channels.filter((channel) => channel.default).map((channel) => channel.name);
    return defaults.length ? `The default channels (${defaults.join(', ')})` : 'None';
  }
}

function rateWords(kiBps: number | null): string {
  return kiBps === null ? 'no limit' : `at most ${kiBps} KiB/s`;
}
