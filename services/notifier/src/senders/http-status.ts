/** Fails on a non-2xx answer, with the start of its body (often the receiver's reason). */
export async function expectOk(response: Response): Promise<void> {
  if (response.ok) return;
  const text = (await response.text().catch(() => '')).slice(0, 200);
  throw new Error(`HTTP ${response.status} ${response.statusText}${text ? `: ${text}` : ''}`);
}
