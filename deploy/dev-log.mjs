// `make dev` output: every service's lines, prefixed with its name, pino's JSON made readable.
const COLORS = [36, 35, 33, 32, 34];
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const NOISE = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg']);
const color = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_, text) => text;

/** Prints one line of a service, prefixed with its name in its own colour. */
export function printLine(name, index, line) {
  const prefix = color(COLORS[index % COLORS.length], `${name.padEnd(9)} |`);
  process.stdout.write(`${prefix} ${readable(line)}\n`);
}

/** A pino line as "warn message {fields}"; anything else as it is. */
function readable(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const fields = Object.fromEntries(Object.entries(entry).filter(([key]) => !NOISE.has(key)));
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${LEVELS[entry.level] ?? entry.level} ${entry.msg}${extra}`;
}
