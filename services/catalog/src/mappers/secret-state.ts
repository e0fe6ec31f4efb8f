/** Secrets are write-only: a response says which ones are set, never their values. */
export function secretStates(sealed: Record<string, string>): Record<string, { set: boolean }> {
  return Object.fromEntries(Object.keys(sealed).map((name) => [name, { set: true }]));
}
