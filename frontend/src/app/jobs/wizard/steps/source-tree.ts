import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  model,
  signal,
  type OnInit,
  type WritableSignal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../../../core/api';
import type { TreeEntry } from '../../../core/api.types';
import { describeError } from '../../../core/errors';
import { formatBytes } from '../../../core/format';
import { isInside, toggleSelection } from '../../lib/source-selection';

interface SourceNode {
  entry: TreeEntry;
  expanded: WritableSignal<boolean>;
  /** null until the folder was opened once. */
  children: WritableSignal<SourceNode[] | null>;
  loading: WritableSignal<boolean>;
  error: WritableSignal<string | null>;
}

/** The runner's source folders, opened lazily, with a checkbox per folder or file. */
@Component({
  selector: 'app-source-tree',
  imports: [NgTemplateOutlet, MatButtonModule, MatCheckboxModule, MatIconModule, MatProgressBarModule],
  templateUrl: './source-tree.html',
  styleUrl: './source-tree.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SourceTree implements OnInit {
  private readonly api = inject(ApiService);

  /** Absolute paths; a selected folder takes everything inside it. */
  readonly selected = model<string[]>([]);

  protected readonly roots = signal<SourceNode[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly size = formatBytes;

  private readonly selectedSet = computed(() => new Set(this.selected()));

  ngOnInit(): void {
    void this.loadRoots();
  }

  protected async loadRoots(): Promise<void> {
    this.error.set(null);
    try {
      const roots = (await this.api.sources('/')).map((entry) => node(entry));
      this.roots.set(roots);
      // A single root is opened at once: it is the only place to go.
      if (roots.length === 1) await this.toggle(roots[0]);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  protected async toggle(item: SourceNode): Promise<void> {
    if (item.expanded()) {
      item.expanded.set(false);
      return;
    }
    item.expanded.set(true);
    if (item.children() !== null || item.loading()) return;
    item.loading.set(true);
    item.error.set(null);
    try {
      const entries = await this.api.sources(item.entry.path);
      item.children.set(entries.sort(byKindThenName).map((entry) => node(entry)));
    } catch (error) {
      item.error.set(describeError(error));
    } finally {
      item.loading.set(false);
    }
  }

  protected isSelected(path: string): boolean {
    return this.selectedSet().has(path);
  }

  /** Included because a folder above it is selected: shown ticked, changed only there. */
  protected isCovered(path: string): boolean {
    return this.selected().some((selected) => isInside(path, selected));
  }

  protected hasSelectedInside(path: string): boolean {
    return this.selected().some((selected) => isInside(selected, path));
  }

  protected select(path: string): void {
    this.selected.set(toggleSelection(this.selected(), path));
  }
}

function node(entry: TreeEntry): SourceNode {
  return {
    entry,
    expanded: signal(false),
    children: signal(null),
    loading: signal(false),
    error: signal(null),
  };
}

function byKindThenName(a: TreeEntry, b: TreeEntry): number {
  const folderFirst = Number(b.type === 'dir') - Number(a.type === 'dir');
  return folderFirst || a.name.localeCompare(b.name);
}
