import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { AttentionItem } from '../attention';

/** Jobs whose last run failed or that are overdue: named, explained, one click from the run. */
@Component({
  selector: 'app-attention-banner',
  imports: [RouterLink, MatButtonModule, MatIconModule],
  templateUrl: './attention-banner.html',
  styleUrl: './attention-banner.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttentionBanner {
  readonly items = input.required<AttentionItem[]>();
}
