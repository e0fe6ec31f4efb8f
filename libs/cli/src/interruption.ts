/** Aborted on Ctrl-C or SIGTERM: long commands stop at the next safe point and release their lock. */
export const interruption = new AbortController();
