import { ScrollingModule } from '@angular/cdk/scrolling';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  resource,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { ApiService } from '../../core/api';
import type { Run, SnapshotRecord, TreeEntry } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { formatBytes, formatDateTime } from '../../core/format';
import { LinkService } from '../../core/links';
import { RestoreDialog, type RestoreRequest } from '../restore-dialog/restore-dialog';
import {
  breadcrumbs,
  filterEntries,
  startFolder,
  summarize,
  ticker,
  tickOfAll,
  toggle,
  toggleAll,
  type Selection,
  type Tick,
} from '../selection';

/** The height of one row of the list, desktop and phone alike: the virtual scroll counts on it. */
const ROW_PX = 56;

interface EntryLabel {
  size: string;
  modified: string;
  icon: string;
}

/** One snapshot's folders: browse, filter, tick files and folders, then restore or download them. */
@Component({
  selector: 'app-snapshot-browser',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    ScrollingModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './snapshot-browser.html',
  styleUrl: './snapshot-browser.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SnapshotBrowser {
  private readonly api = inject(ApiService);
  private readonly links = inject(LinkService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);

  readonly snapshot = input.required<SnapshotRecord>();
  readonly jobId = input.required<string>();

  protected readonly folder = linkedSignal(() => startFolder(this.snapshot().paths));
  /** Kept while moving between folders; a different snapshot starts afresh. */
  protected readonly selection = linkedSignal<SnapshotRecord, Selection>({
    source: this.snapshot,
    computation: () => new Map(),
  });
  protected readonly query = linkedSignal({ source: this.folder, computation: () => '' });

  /** Folders already read: a snapshot never changes, and going back up should be instant. */
  private readonly folders = new Map<string, Promise<TreeEntry[]>>();
  protected readonly listing = resource({
    params: () => ({ snapshotId: this.snapshot().id, jobId: this.jobId(), path: this.folder() }),
    loader: ({ params: { snapshotId, jobId, path } }) => {
      const key = `${jobId}:${snapshotId}:${path}`;
      let folder = this.folders.get(key);
      if (!folder) {
        folder = this.api.snapshotTree(snapshotId, jobId, path);
        this.folders.set(key, folder);
        folder.catch(() => this.folders.delete(key));
      }
      return folder;
    },
  });
  protected readonly listingError = computed(() => {
    const error = this.listing.error();
    return error ? describeError(error) : null;
  });

  protected readonly crumbs = computed(() => breadcrumbs(this.folder()));
  protected readonly entries = computed(() => (this.listing.hasValue() ? this.listing.value() : []));
  /** Every entry of the folder that matches, sorted; only the rows scrolled into view are drawn. */
  protected readonly visible = computed(() => filterEntries(this.entries(), this.query()));
  protected readonly tickOf = computed(() => ticker(this.selection()));
  protected readonly allTick = computed(() => tickOfAll(this.selection(), this.visible()));
  protected readonly chosen = computed(() => [...this.selection().values()]);
  protected readonly summary = computed(() => summarize(this.selection()));
  /** The list is as tall as its rows, up to most of the screen; beyond that it scrolls. */
  protected readonly listHeight = computed(
    () => `min(70vh, ${Math.max(this.visible().length, 1) * ROW_PX}px)`,
  );
  protected readonly rowPx = ROW_PX;

  /** What the download button fetches: the one chosen file or folder, or the whole snapshot. */
  protected readonly download = computed(() => {
    const chosen = this.chosen();
    if (chosen.length > 1) return null;
    const entry = chosen[0];
    const path = entry?.path ?? '/';
    const label = !entry
      ? 'Download everything (.tar)'
      : entry.type === 'dir'
        ? 'Download folder (.tar)'
        : 'Download file';
    return { label, path };
  });
  protected readonly downloadError = signal<string | null>(null);

  protected readonly taken = computed(() => formatDateTime(this.snapshot().time));

  protected async startDownload(path: string): Promise<void> {
    this.downloadError.set(null);
    try {
      await this.links.download(this.snapshot().id, this.jobId(), path);
    } catch (error) {
      this.downloadError.set(`The download could not start: ${describeError(error)}`);
    }
  }

  protected ticked(tick: Tick): boolean {
    return tick === 'selected' || tick === 'inherited';
  }

  /** Sizes and dates read for the rows drawn, not for every entry of a large folder. */
  protected label(entry: TreeEntry): EntryLabel {
    let label = this.labels.get(entry);
    if (!label) {
      label = {
        size: entry.type === 'dir' ? '' : formatBytes(entry.size),
        modified: formatDateTime(entry.mtime),
        icon: entry.type === 'dir' ? 'folder' : entry.type === 'symlink' ? 'link' : 'draft',
      };
      this.labels.set(entry, label);
    }
    return label;
  }
  private readonly labels = new WeakMap<TreeEntry, EntryLabel>();

  protected readonly byPath = (_index: number, entry: TreeEntry) => entry.path;

  protected open(path: string): void {
    this.folder.set(path);
  }

  protected toggle(entry: TreeEntry): void {
    this.selection.update((selection) => toggle(selection, entry));
  }

  protected toggleAll(): void {
    this.selection.update((selection) => toggleAll(selection, this.visible()));
  }

  protected clear(): void {
    this.selection.set(new Map());
  }

  protected restore(): void {
    const data: RestoreRequest = { jobId: this.jobId(), snapshot: this.snapshot(), entries: this.chosen() };
    this.dialog
      .open<RestoreDialog, RestoreRequest, Run>(RestoreDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((run) => {
        if (run) void this.router.navigate(['/runs', run.id]);
      });
  }
}
