// The objects one backup run is made of: the backup pod, and with a VolumeSnapshotClass the CSI
// snapshot of the volume and the temporary PVC made from it. All carry the run's labels and are
// owned by the PVC backed up, so that deleting the PVC deletes them.
import { createHash } from 'node:crypto';
import type { KubeObject, ObjectMeta, PersistentVolumeClaim, Pod, VolumeSnapshot } from '../kube/objects.js';
import { CONTROLLER, MANAGED_BY, RUN, SCHEDULED_AT, SOURCE_CLAIM, SOURCE_UID } from './annotations.js';
import type { Placement } from './placement.js';
import type { BackupSettings } from './settings.js';

/** Where a backup pod mounts the volume: the path its snapshots record, one line per PVC. */
export const VOLUMES_ROOT = '/volumes';

export interface BackupPodOptions {
  image: string;
  imagePullPolicy: string;
  /** The host recorded in the snapshots. */
  cluster: string;
  runAsUser: number;
  resources: Record<string, unknown>;
}

/** One scheduled backup of one PVC. */
export interface BackupRun {
  name: string;
  claim: PersistentVolumeClaim;
  scheduledAt: Date;
}

/** The run of a PVC for one fire of its schedule; the same fire always gives the same name. */
export function backupRun(claim: PersistentVolumeClaim, scheduledAt: Date): BackupRun {
  const digest = createHash('sha256')
    .update(`${claim.metadata.uid}/${scheduledAt.toISOString()}`)
    .digest('hex')
    .slice(0, 10);
  const stem = claim.metadata.name.slice(0, 36).replace(/[-.]+$/, '');
  return { name: `cairn-backup-${stem}-${digest}`, claim, scheduledAt };
}

export function mountPath(claim: PersistentVolumeClaim): string {
  return `${VOLUMES_ROOT}/${claim.metadata.namespace}/${claim.metadata.name}`;
}

function runMetadata(run: BackupRun): ObjectMeta {
  const { claim } = run;
  return {
    name: run.name,
    namespace: claim.metadata.namespace!,
    labels: { [MANAGED_BY]: CONTROLLER, [SOURCE_UID]: claim.metadata.uid!, [RUN]: run.name },
    annotations: { [SOURCE_CLAIM]: claim.metadata.name, [SCHEDULED_AT]: run.scheduledAt.toISOString() },
    ownerReferences: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: claim.metadata.name,
        uid: claim.metadata.uid!,
        controller: true,
      },
    ],
  };
}

/**
 * The pod that backs a volume up: `cairn backup` of the volume (or of `readFrom`, the PVC made from
 * its snapshot) mounted read-only, with the repository's environment from the namespace's Secret.
 */
export function backupPod(
  run: BackupRun,
  settings: BackupSettings,
  options: BackupPodOptions,
  where: Placement,
  readFrom: string = run.claim.metadata.name,
): Pod {
  const path = mountPath(run.claim);
  const asRoot = options.runAsUser === 0;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: runMetadata(run),
    spec: {
      restartPolicy: 'Never',
      // The pod needs nothing from the API: no token, no Service variables.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsUser: options.runAsUser,
        runAsGroup: options.runAsUser,
        ...(asRoot ? {} : { runAsNonRoot: true }),
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...where,
      containers: [
        {
          name: 'backup',
          image: options.image,
          imagePullPolicy: options.imagePullPolicy,
          command: backupCommand(path, options.cluster, settings.job),
          envFrom: [{ secretRef: { name: settings.secret } }],
          // Node and the engine write temporary files; the root filesystem is read-only.
          env: [{ name: 'HOME', value: '/tmp' }],
          resources: options.resources,
          securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            // As root, only the right to read every file whatever its owner and mode (DAC_OVERRIDE
            // is in Pod Security "baseline"; the volume is mounted read-only, so it writes nothing).
            capabilities: { drop: ['ALL'], ...(asRoot ? { add: ['DAC_OVERRIDE'] } : {}) },
          },
          volumeMounts: [
            { name: 'volume', mountPath: path, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'volume', persistentVolumeClaim: { claimName: readFrom, readOnly: true } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

/** What the backup pod runs: the CLI's backup, the host being the cluster, the job a tag. */
export function backupCommand(path: string, cluster: string, job: string): string[] {
  return ['cairn', 'backup', path, '--host', cluster, '--tag', job, '--json'];
}

export function volumeSnapshot(run: BackupRun, snapshotClass: string): VolumeSnapshot {
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: runMetadata(run),
    spec: {
      volumeSnapshotClassName: snapshotClass,
      source: { persistentVolumeClaimName: run.claim.metadata.name },
    },
  };
}

/** The temporary PVC a snapshot is restored into for the backup pod to read. */
export function snapshotClaim(run: BackupRun, snapshot: VolumeSnapshot): PersistentVolumeClaim {
  const { spec } = run.claim;
  const size = snapshot.status?.restoreSize ?? spec.resources?.requests?.storage;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: runMetadata(run),
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(spec.storageClassName ? { storageClassName: spec.storageClassName } : {}),
      ...(spec.volumeMode ? { volumeMode: spec.volumeMode } : {}),
      resources: { requests: size ? { storage: size } : {} },
      dataSource: {
        apiGroup: 'snapshot.storage.k8s.io',
        kind: 'VolumeSnapshot',
        name: snapshot.metadata.name,
      },
    },
  };
}

/** The fire of the schedule an object of a run serves (from its annotation). */
export function scheduledAt(object: KubeObject): Date | undefined {
  const text = object.metadata.annotations?.[SCHEDULED_AT];
  return text ? new Date(text) : undefined;
}
