import { QueryFailedError } from 'typeorm';
import type { HandlerError } from '@cairn/contracts';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/** The constraint a statement broke, when it failed on a unique or foreign key (race-free checks). */
export function violatedConstraint(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION || code === FOREIGN_KEY_VIOLATION ? constraint : undefined;
}

/** Runs a write and turns the named constraint violations into the errors callers should see. */
export async function translateConstraints<T>(
  write: Promise<T>,
  errors: Record<string, () => HandlerError>,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const constraint = violatedConstraint(error);
    const translate = constraint === undefined ? undefined : errors[constraint];
    throw translate ? translate() : error;
  }
}
