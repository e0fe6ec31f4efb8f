import type { z } from 'zod';

export class InvalidInput extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Parses a request body or query with a contract schema; the first problem names its field. No
 * string may hold a NUL character: no file name can, and PostgreSQL text cannot store one.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const nul = pathToNul(value);
  if (nul !== undefined)
    throw new InvalidInput(`${nul || 'value'}: must not contain a NUL character`, nul || undefined);
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new InvalidInput(`${field || 'body'}: ${issue.message}`, field || undefined);
}

/** The path (a.b.0) of the first string in `value` that holds a NUL, '' for `value` itself. */
function pathToNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathToNul(key, path) ?? pathToNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
