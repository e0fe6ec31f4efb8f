export interface LogLine {
  /** The ISO time the runner wrote, or '' when the line has none. */
  time: string;
  level: 'info' | 'warn' | 'error' | 'other';
  message: string;
}

const SHAPE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (info|warn|error) (.*)$/s;

/** A runner log line ("<ISO time> <level> <text>"), kept whole when it has another shape. */
export function parseLogLine(line: string): LogLine {
  const match = SHAPE.exec(line);
  if (!match) return { time: '', level: 'other', message: line };
  return { time: match[1], level: match[2] as LogLine['level'], message: match[3] };
}
