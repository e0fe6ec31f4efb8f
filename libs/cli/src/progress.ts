import { formatBytes, formatDuration } from './format.js';

export interface ProgressFigures {
  filesDone: number;
  filesTotal?: number;
  bytesDone: number;
  bytesTotal?: number;
  currentPath?: string;
  elapsedMs: number;
}

/**
 * Where status goes: on a terminal a live line on stderr, with --json one JSON object per line on
 * stdout, otherwise nowhere (logs of cron jobs stay readable).
 */
export class StatusOutput {
  private drawn = false;
  readonly live = process.stderr.isTTY === true;

  constructor(readonly json: boolean) {}

  progress(figures: ProgressFigures): void {
    if (this.json) {
      this.emit({ message_type: 'status', ...figures, percent: percent(figures) });
    } else if (this.live) {
      process.stderr.write(`\r\x1b[K${fit(progressLine(figures), process.stderr.columns || 100)}`);
      this.drawn = true;
    }
  }

  /** A line of normal output (suppressed with --json, where `emit` carries the data instead). */
  say(line: string): void {
    this.clear();
    if (!this.json) process.stdout.write(`${line}\n`);
  }

  warn(line: string): void {
    this.clear();
    if (this.json) this.emit({ message_type: 'warning', message: line });
    else process.stderr.write(`warning: ${line}\n`);
  }

  emit(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

function percent({ bytesDone, bytesTotal }: ProgressFigures): number | undefined {
  return bytesTotal ? Math.min(100, (100 * bytesDone) / bytesTotal) : undefined;
}

export function progressLine(figures: ProgressFigures): string {
  const { filesDone, filesTotal, bytesDone, bytesTotal, elapsedMs, currentPath } = figures;
  const rate = elapsedMs > 0 ? bytesDone / (elapsedMs / 1000) : 0;
  const parts = [`[${formatDuration(elapsedMs)}]`];
  const pct = percent(figures);
  if (pct !== undefined) parts.push(`${pct.toFixed(1)}%`);
  parts.push(filesTotal ? `${filesDone}/${filesTotal} files` : `${filesDone} files`);
  parts.push(bytesTotal ? `${formatBytes(bytesDone)}/${formatBytes(bytesTotal)}` : formatBytes(bytesDone));
  parts.push(`${formatBytes(rate)}/s`);
  if (bytesTotal && rate > 0 && bytesDone < bytesTotal)
    parts.push(`ETA ${formatDuration(((bytesTotal - bytesDone) / rate) * 1000)}`);
  if (currentPath) parts.push(currentPath);
  return parts.join(' ');
}

function fit(line: string, width: number): string {
  return line.length < width ? line : `${line.slice(0, width - 2)}…`;
}
