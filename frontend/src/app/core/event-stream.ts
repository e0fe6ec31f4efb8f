/** Opens a server-sent event stream; tests hand in a stand-in. */
export type OpenEvents = (url: string) => EventSource;

export const openEventSource: OpenEvents = (url) => new EventSource(url);

/** The JSON a server-sent event carries. */
export function eventData<T>(event: Event): T {
  return JSON.parse((event as MessageEvent<string>).data) as T;
}
