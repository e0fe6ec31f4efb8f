/**
 * What of an error may be logged. Never the whole object: a TypeORM QueryFailedError carries the
 * statement's parameters, and nothing in a log may echo a request's values.
 */
export function describeError(error: unknown): { message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}
