import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { Router } from '@angular/router';
import { AboutSection } from './about/about-section';
import { ChannelsSection } from './channels/channels-section';
import { PasswordForm } from './password/password-form';
import { TransferSection } from './transfer/transfer-section';

/** The tabs, in order; the `tab` query parameter names one, so a link can open it directly. */
const TABS = ['password', 'notifications', 'transfer', 'about'] as const;

@Component({
  selector: 'app-settings-page',
  imports: [MatTabsModule, PasswordForm, ChannelsSection, TransferSection, AboutSection],
  templateUrl: './settings-page.html',
  styleUrl: './settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  private readonly router = inject(Router);
  readonly tab = input<string>();

  protected readonly selectedIndex = computed(() =>
    Math.max(0, TABS.indexOf(this.tab() as (typeof TABS)[number])),
  );

  protected select(index: number): void {
    void this.router.navigate([], { queryParams: { tab: TABS[index] }, replaceUrl: true });
  }
}
