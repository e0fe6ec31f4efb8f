import type { SecretBox } from './secret-box.js';

/** Where a named secret of a row is bound: a sealed value only opens in its own row and field. */
export type SecretContext = (name: string) => string;

/**
 * Applies write-only secret changes to the sealed ones: values cannot be sent back, so changes merge
 * by name, and an empty value removes that secret.
 */
export function sealSecrets(
  box: SecretBox,
  sealed: Record<string, string>,
  changes: Record<string, string>,
  context: SecretContext,
): Record<string, string> {
  const next = { ...sealed };
  for (const [name, value] of Object.entries(changes)) {
    if (value === '') delete next[name];
    else next[name] = box.seal(value, context(name));
  }
  return next;
}

export function openSecrets(
  box: SecretBox,
  sealed: Record<string, string>,
  context: SecretContext,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(sealed).map(([name, value]) => [name, box.open(value, context(name))]),
  );
}
