import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line, to assert on what was (not) logged. */
export class LogCapture implements DestinationStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('');
  }

  messages(): string[] {
    return this.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }
}
