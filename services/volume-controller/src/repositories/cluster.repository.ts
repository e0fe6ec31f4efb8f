// Every call the controller makes to the Kubernetes API, behind one interface: reads come from
// list-and-watch caches, writes are plain creates and deletes whose "already there" and "already
// gone" answers (409, 404) are outcomes rather than errors.
import type { Logger } from '@cairn/contracts';
import { RUN, SOURCE_UID } from '../backup/annotations.js';
import { Informer } from '../kube/informer.js';
import { KubeError, type KubeClient } from '../kube/kube-client.js';
import type {
  KubeObject,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  VolumeSnapshot,
} from '../kube/objects.js';

export type WatchedKind =
  'Namespace' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'Pod' | 'VolumeSnapshot';

export interface ClusterRepository {
  /** Starts the caches; `onChange` hears of every object that appears, changes or goes. */
  start(onChange: (kind: WatchedKind, object: KubeObject) => void): void;
  stop(): Promise<void>;
  /** True once every cache has made its first list. */
  synced(): boolean;
  claims(): PersistentVolumeClaim[];
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  namespace(name: string): Namespace | undefined;
  volume(name: string): PersistentVolume | undefined;
  /** The pods of a namespace; without one, of every namespace watched. */
  pods(namespace?: string): Pod[];
  snapshots(namespace: string): VolumeSnapshot[];
  /**
   * The names of the runs the API server itself (not the caches) holds objects of for a PVC: what a
   * second controller made a moment ago may not be in this one's caches yet.
   */
  liveRuns(namespace: string, sourceUid: string): Promise<string[]>;
  /** 'exists' when an object of that name was there already (409). */
  create(object: Pod | PersistentVolumeClaim | VolumeSnapshot): Promise<'created' | 'exists'>;
  /** Deleting what is gone already (404) is no error. */
  delete(object: Pod | PersistentVolumeClaim | VolumeSnapshot): Promise<void>;
}

const SNAPSHOT_API = '/apis/snapshot.storage.k8s.io/v1';

/** The collection of a kind's objects, in one namespace or (namespace undefined) in all. */
function collection(
  kind: Exclude<WatchedKind, 'Namespace' | 'PersistentVolume'>,
  namespace?: string,
): string {
  const [api, plural] = {
    PersistentVolumeClaim: ['/api/v1', 'persistentvolumeclaims'],
    Pod: ['/api/v1', 'pods'],
    VolumeSnapshot: [SNAPSHOT_API, 'volumesnapshots'],
  }[kind];
  return namespace ? `${api}/namespaces/${namespace}/${plural}` : `${api}/${plural}`;
}

function kindOf(object: KubeObject): 'Pod' | 'PersistentVolumeClaim' | 'VolumeSnapshot' {
  const kind = object.kind;
  if (kind === 'Pod' || kind === 'PersistentVolumeClaim' || kind === 'VolumeSnapshot') return kind;
  throw new Error(`the controller makes no ${kind}`);
}

export interface ClusterScope {
  /** Empty: every namespace. */
  namespaces: string[];
  /** Whether VolumeSnapshots are used (their API exists only where the CSI snapshot CRDs are installed). */
  snapshots: boolean;
  watchTimeoutS: number;
}

export class KubeClusterRepository implements ClusterRepository {
  private readonly stopping = new AbortController();
  private readonly informers: Informer<KubeObject>[] = [];
  private running: Promise<void>[] = [];
  private namespaceCache?: Informer<Namespace>;
  private volumeCache?: Informer<PersistentVolume>;
  private readonly claimCaches: Informer<PersistentVolumeClaim>[] = [];
  private readonly podCaches: Informer<Pod>[] = [];
  private readonly snapshotCaches: Informer<VolumeSnapshot>[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly scope: ClusterScope,
    private readonly logger: Logger,
  ) {}

  start(onChange: (kind: WatchedKind, object: KubeObject) => void): void {
    const informer = <T extends KubeObject>(kind: WatchedKind, path: string): Informer<T> => {
      const made = new Informer<T>(
        this.client,
        kind,
        path,
        (object) => onChange(kind, object),
        this.logger,
        this.scope.watchTimeoutS,
      );
      this.informers.push(made as unknown as Informer<KubeObject>);
      return made;
    };
    this.namespaceCache = informer('Namespace', '/api/v1/namespaces');
    this.volumeCache = informer('PersistentVolume', '/api/v1/persistentvolumes');
    const namespaces = this.scope.namespaces.length > 0 ? this.scope.namespaces : [undefined];
    for (const namespace of namespaces) {
      this.claimCaches.push(
        informer('PersistentVolumeClaim', collection('PersistentVolumeClaim', namespace)),
      );
      this.podCaches.push(informer('Pod', collection('Pod', namespace)));
      if (this.scope.snapshots)
        this.snapshotCaches.push(informer('VolumeSnapshot', collection('VolumeSnapshot', namespace)));
    }
    this.running = this.informers.map((each) => each.run(this.stopping.signal));
  }

  /** Ends the watches, and any write waiting out a 429. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running);
  }

  synced(): boolean {
    return this.informers.length > 0 && this.informers.every((each) => each.synced);
  }

  claims(): PersistentVolumeClaim[] {
    return this.claimCaches.flatMap((cache) => cache.list());
  }

  claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.claimCaches.map((cache) => cache.get(`${namespace}/${name}`)).find(Boolean);
  }

  namespace(name: string): Namespace | undefined {
    return this.namespaceCache?.get(name);
  }

  volume(name: string): PersistentVolume | undefined {
    return this.volumeCache?.get(name);
  }

  pods(namespace?: string): Pod[] {
    return namespace === undefined
      ? this.podCaches.flatMap((cache) => cache.list())
      : inNamespace(this.podCaches, namespace);
  }

  snapshots(namespace: string): VolumeSnapshot[] {
    return inNamespace(this.snapshotCaches, namespace);
  }

  async liveRuns(namespace: string, sourceUid: string): Promise<string[]> {
    const kinds = ['Pod', ...(this.scope.snapshots ? ['VolumeSnapshot' as const] : [])] as const;
    const selector = encodeURIComponent(`${SOURCE_UID}=${sourceUid}`);
    const lists = await Promise.all(
      kinds.map((kind) =>
        this.client.send<{ items: KubeObject[] }>(
          'GET',
          `${collection(kind, namespace)}?labelSelector=${selector}`,
          undefined,
          this.stopping.signal,
        ),
      ),
    );
    return lists.flatMap(({ items }) => items.flatMap((item) => item.metadata.labels?.[RUN] ?? []));
  }

  async create(object: Pod | PersistentVolumeClaim | VolumeSnapshot): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        'POST',
        collection(kindOf(object), object.metadata.namespace),
        object,
        this.stopping.signal,
      );
      return 'created';
    } catch (error) {
      if (error instanceof KubeError && error.status === 409) return 'exists';
      throw error;
    }
  }

  async delete(object: Pod | PersistentVolumeClaim | VolumeSnapshot): Promise<void> {
    const path = `${collection(kindOf(object), object.metadata.namespace)}/${object.metadata.name}`;
    try {
      // Background: dependents are collected after the object is gone, without waiting for them.
      await this.client.send(
        'DELETE',
        path,
        {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy: 'Background',
        },
        this.stopping.signal,
      );
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return;
      throw error;
    }
  }
}

function inNamespace<T extends KubeObject>(caches: Informer<T>[], namespace: string): T[] {
  return caches.flatMap((cache) => cache.list()).filter((object) => object.metadata.namespace === namespace);
}
