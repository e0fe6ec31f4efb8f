import assert from 'node:assert/strict';
import { RemoteError, type ErrorBody } from '@cairn/contracts';

/** Asserts that a catalog call failed with this error code (and field, when given). */
export async function rejectsWith(
  call: Promise<unknown>,
  code: ErrorBody['code'],
  field?: string,
): Promise<RemoteError> {
  let failure: unknown;
  await assert.rejects(call, (error: unknown) => {
    failure = error;
    return true;
  });
  assert.ok(failure instanceof RemoteError, `expected a RemoteError, got ${String(failure)}`);
  assert.equal(failure.body.code, code, failure.message);
  if (field !== undefined) assert.equal(failure.body.field, field, failure.message);
  return failure;
}
