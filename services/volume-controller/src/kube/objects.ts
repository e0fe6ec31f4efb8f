// The parts of the Kubernetes objects the controller reads or writes (core/v1 and
// snapshot.storage.k8s.io/v1), as the API serves them in JSON.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface NodeSelectorTerm {
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
  matchFields?: { key: string; operator: string; values?: string[] }[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    accessModes?: string[];
    volumeName?: string;
    storageClassName?: string;
    volumeMode?: string;
    resources?: { requests?: Record<string, string> };
    dataSource?: { apiGroup?: string; kind: string; name: string };
  };
  status?: { phase?: string };
}

export interface PersistentVolume extends KubeObject {
  spec: { nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTerm[] } } };
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  emptyDir?: Record<string, unknown>;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  envFrom?: { secretRef: { name: string } }[];
  resources?: Record<string, unknown>;
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}

/** How a container ended. */
export interface ContainerTerminated {
  exitCode: number;
  reason?: string;
  /** With FallbackToLogsOnError, a failed container's last lines of output. */
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** What the kubelet says of a container: running since, or ended how and when. */
export interface ContainerStatus {
  name: string;
  state?: { running?: { startedAt?: string }; terminated?: ContainerTerminated };
}

export interface Pod extends KubeObject {
  spec: {
    nodeName?: string;
    volumes?: Volume[];
    containers: Container[];
    tolerations?: Toleration[];
    affinity?: Affinity;
    restartPolicy?: string;
    securityContext?: Record<string, unknown>;
    automountServiceAccountToken?: boolean;
    enableServiceLinks?: boolean;
  };
  status?: {
    phase?: string;
    /** Why a pod failed as a whole (e.g. Evicted), and in words. */
    reason?: string;
    message?: string;
    startTime?: string;
    containerStatuses?: ContainerStatus[];
  };
}

export interface VolumeSnapshot extends KubeObject {
  spec: {
    volumeSnapshotClassName?: string;
    source: { persistentVolumeClaimName: string };
  };
  status?: { readyToUse?: boolean; restoreSize?: string; error?: { message?: string } };
}

export type Namespace = KubeObject;

/** `namespace/name`, or `name` for objects of no namespace. */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

export function podFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
