import type { z } from 'zod';

export class InvalidInput extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Parses a request body or query with a contract schema; the first problem names its field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new InvalidInput(`${field || 'body'}: ${issue.message}`, field || undefined);
}
