import type { Endpoint } from '@cairn/contracts';

/** A subject inside a namespace ('' = the subject itself). */
export function namespaced(namespace: string, subject: string): string {
  return namespace ? `${namespace}.${subject}` : subject;
}

export function namespacedEndpoint<E extends Endpoint>(namespace: string, endpoint: E): E {
  return { ...endpoint, subject: namespaced(namespace, endpoint.subject) };
}
