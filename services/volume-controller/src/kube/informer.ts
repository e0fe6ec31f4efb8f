// A list-then-watch cache of one collection (an "informer"): the controller reads the cluster from
// memory and hears of every change. When the API server answers a watch with 410 Gone (the
// resource version is older than what it still keeps), the collection is listed anew.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cairn/contracts';
import { KubeError, type KubeClient } from './kube-client.js';
import { objectKey, type KubeObject } from './objects.js';

const ERROR_BACKOFF_MAX_MS = 30_000;

export class Informer<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private listed = false;

  /**
   * `path` is a collection (`/api/v1/namespaces/apps/pods`); `onChange` hears of each object added,
   * changed or removed, and of every object after a new list.
   */
  constructor(
    private readonly client: KubeClient,
    /** Set on listed items, which the API serves without their kind. */
    private readonly kind: string,
    private readonly path: string,
    private readonly onChange: (object: T) => void,
    private readonly logger: Logger,
    private readonly watchTimeoutS: number,
  ) {}

  get synced(): boolean {
    return this.listed;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  /** Lists and watches until `signal` aborts; API errors are logged and retried with a backoff. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        let version = await this.relist(signal);
        failures = 0;
        for (;;) {
          version = await this.watchFrom(version, signal);
          if (signal.aborted) return;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof KubeError && error.status === 410) {
          this.logger.info({ path: this.path }, 'watch expired (410 Gone); listing again');
          continue;
        }
        const waitMs = Math.min(1000 * 2 ** failures++, ERROR_BACKOFF_MAX_MS);
        this.logger.warn({ path: this.path, err: String(error), waitMs }, 'list or watch failed; retrying');
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<string> {
    const answer = await this.client.send<{ metadata: { resourceVersion: string }; items: T[] }>(
      'GET',
      this.path,
      undefined,
      signal,
    );
    const seen = new Map(answer.items.map((item) => [objectKey(item), { ...item, kind: this.kind }]));
    const gone = [...this.items.values()].filter((item) => !seen.has(objectKey(item)));
    this.items.clear();
    for (const [key, item] of seen) this.items.set(key, item);
    this.listed = true;
    for (const item of [...seen.values(), ...gone]) this.onChange(item);
    return answer.metadata.resourceVersion;
  }

  /** One watch from `version`; resolves to the last version seen when the server ends it. */
  private async watchFrom(version: string, signal: AbortSignal): Promise<string> {
    let latest = version;
    const query = `watch=1&allowWatchBookmarks=true&timeoutSeconds=${this.watchTimeoutS}&resourceVersion=${latest}`;
    await this.client.watch<T>(
      `${this.path}?${query}`,
      ({ type, object }) => {
        latest = object.metadata.resourceVersion ?? latest;
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') this.items.delete(objectKey(object));
        else this.items.set(objectKey(object), object);
        this.onChange(object);
      },
      signal,
    );
    return latest;
  }
}
