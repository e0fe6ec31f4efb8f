import { InvalidArgumentError } from 'commander';

/** Accumulates a repeatable flag. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseTime(value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not an ISO-8601 time like 2026-01-31T22:00:00Z`);
  }
  return time;
}

export function parsePackSize(value: string): number {
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib < 1 || mib > 1024)
    throw new InvalidArgumentError('pack size must be a whole number of MiB from 1 to 1024');
  return mib * 1024 * 1024;
}

export function parsePercent(value: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(value);
  const percent = match ? Number(match[1]) : NaN;
  if (!(percent > 0 && percent <= 100))
    throw new InvalidArgumentError(`"${value}" is not a percentage between 0 and 100`);
  return percent / 100;
}
