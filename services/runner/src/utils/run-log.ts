import type { Logger } from '@cairn/contracts';

const TAIL_LINES = 50;
const HIDDEN = '[redacted]';

type Level = 'info' | 'warn' | 'error';

/**
 * A run's log: every line goes to the runner's log and the last ones travel with the run-finished
 * event. Engine messages can quote anything, so the run's secrets are cut out of each line by value,
 * not only by field name as the logger's redaction does.
 */
export class RunLog {
  private readonly lines: string[] = [];
  private readonly secrets = new Set<string>();

  constructor(private readonly logger: Logger) {}

  hide(...values: string[]): void {
    for (const value of values) if (value) this.secrets.add(value);
  }

  info(message: string): void {
    this.add('info', message);
  }

  warn(message: string): void {
    this.add('warn', message);
  }

  error(message: string): void {
    this.add('error', message);
  }

  get tail(): string[] {
    return [...this.lines];
  }

  private add(level: Level, message: string): void {
    const text = [...this.secrets].reduce((line, secret) => line.replaceAll(secret, HIDDEN), message);
    this.lines.push(`${new Date().toISOString()} ${level} ${text}`);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
    this.logger[level](text);
  }
}
