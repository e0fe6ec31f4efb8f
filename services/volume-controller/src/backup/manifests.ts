// The objects one backup run is made of: the backup pod, and with a VolumeSnapshotClass the CSI
// snapshot of the volume and the temporary PVC made from it. All carry the run's labels and are
// owned by the PVC backed up, so that deleting the PVC deletes them. And the pod that restores a
// volume's snapshot into a PVC, new or existing.
import { createHash } from 'node:crypto';
import type {
  KubeObject,
  ObjectMeta,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  VolumeSnapshot,
} from '../kube/objects.js';
import {
  CLAIM,
  CONTROLLER,
  JOB,
  MANAGED_BY,
  RESTORE_UID,
  RUN,
  SCHEDULED_AT,
  SOURCE_UID,
} from './annotations.js';
import type { Placement } from './placement.js';
import type { BackupSettings, RestoreRequest } from './settings.js';

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
    annotations: { [CLAIM]: claim.metadata.name, [SCHEDULED_AT]: run.scheduledAt.toISOString() },
    ownerReferences: [ownerReference(claim)],
  };
}

/** Owned by the PVC: deleting the PVC deletes what the controller made for it. */
function ownerReference(claim: PersistentVolumeClaim): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    name: claim.metadata.name,
    uid: claim.metadata.uid!,
    controller: true,
  };
}

/** What tells the backup pod and the restore pod apart; the rest of a Cairn pod is the same. */
interface CairnPodShape {
  metadata: ObjectMeta;
  container: 'backup' | 'restore';
  command: string[];
  secret: string;
  claimName: string;
  mountPath: string;
  readOnly: boolean;
  /** The capabilities a root pod keeps (none for any other user). */
  rootCapabilities: string[];
  /** More emptyDir folders besides /tmp. */
  scratch?: string[];
}

function cairnPod(shape: CairnPodShape, options: BackupPodOptions, where: Placement): Pod {
  const asRoot = options.runAsUser === 0;
  const scratch = ['/tmp', ...(shape.scratch ?? [])].map((path, index) => ({
    name: `scratch-${index}`,
    path,
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: shape.metadata,
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
          name: shape.container,
          image: options.image,
          imagePullPolicy: options.imagePullPolicy,
          command: shape.command,
          envFrom: [{ secretRef: { name: shape.secret } }],
          // Node and the engine write temporary files; the root filesystem is read-only.
          env: [{ name: 'HOME', value: '/tmp' }],
          resources: options.resources,
          // A failed pod's last lines of output land in its status: the run's error in the catalog.
          terminationMessagePolicy: 'FallbackToLogsOnError',
          securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'], ...(asRoot ? { add: shape.rootCapabilities } : {}) },
          },
          volumeMounts: [
            { name: 'volume', mountPath: shape.mountPath, ...(shape.readOnly ? { readOnly: true } : {}) },
            ...scratch.map(({ name, path }) => ({ name, mountPath: path })),
          ],
        },
      ],
      volumes: [
        {
          name: 'volume',
          persistentVolumeClaim: {
            claimName: shape.claimName,
            ...(shape.readOnly ? { readOnly: true } : {}),
          },
        },
        ...scratch.map(({ name }) => ({ name, emptyDir: {} })),
      ],
    },
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
  const metadata = runMetadata(run);
  return cairnPod(
    {
      metadata: { ...metadata, annotations: { ...metadata.annotations, [JOB]: settings.job } },
      container: 'backup',
      command: backupCommand(path, options.cluster, settings.job),
      secret: settings.secret,
      claimName: readFrom,
      mountPath: path,
      readOnly: true,
      // Only the right to read every file whatever its owner and mode (DAC_OVERRIDE is in Pod
      // Security "baseline"; the volume is mounted read-only, so it writes nothing).
      rootCapabilities: ['DAC_OVERRIDE'],
    },
    options,
    where,
  );
}

/** Where Kubernetes takes a container's termination message from (its default path). */
export const TERMINATION_LOG = '/dev/termination-log';

/**
 * What the backup pod runs: the CLI's backup, the host being the cluster, the job a tag; its
 * summary also in the termination message, where the controller reads the run's figures.
 */
export function backupCommand(path: string, cluster: string, job: string): string[] {
  return [
    'cairn',
    'backup',
    path,
    '--host',
    cluster,
    '--tag',
    job,
    '--json',
    '--summary-file',
    TERMINATION_LOG,
  ];
}

/** Where a restore pod writes: the target PVC is mounted where the source's path lands below it. */
export const RESTORE_ROOT = '/restore';

/**
 * The pod that restores one volume's snapshot into a new PVC: `cairn restore` of the source's path
 * only, into the target mounted read-write at that path below the restore root, so that the
 * volume's files land at the target's root with their owners, modes and times.
 */
export function restorePod(
  target: PersistentVolumeClaim,
  request: RestoreRequest,
  options: BackupPodOptions,
  where: Placement,
): Pod {
  const sourcePath = `${VOLUMES_ROOT}/${target.metadata.namespace}/${request.from}`;
  return cairnPod(
    {
      metadata: {
        name: restorePodName(target, request.snapshot),
        namespace: target.metadata.namespace!,
        labels: { [MANAGED_BY]: CONTROLLER, [RESTORE_UID]: target.metadata.uid! },
        annotations: { [CLAIM]: target.metadata.name, [JOB]: request.job },
        ownerReferences: [ownerReference(target)],
      },
      container: 'restore',
      command: restoreCommand(request.snapshot, sourcePath),
      secret: request.secret,
      claimName: target.metadata.name,
      mountPath: `${RESTORE_ROOT}${sourcePath}`,
      readOnly: false,
      // To give each file its owner, mode and times back (all in Pod Security "baseline").
      rootCapabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID'],
      scratch: [RESTORE_ROOT],
    },
    options,
    where,
  );
}

/** The pod of one restore: a PVC and the snapshot restored into it always give the same name. */
export function restorePodName(target: PersistentVolumeClaim, snapshot: string): string {
  const digest = createHash('sha256').update(`${target.metadata.uid}/${snapshot}`).digest('hex').slice(0, 10);
  const stem = target.metadata.name.slice(0, 35).replace(/[-.]+$/, '');
  return `cairn-restore-${stem}-${digest}`;
}

export function restoreCommand(snapshot: string, sourcePath: string): string[] {
  return ['cairn', 'restore', snapshot, '--target', RESTORE_ROOT, '--include', sourcePath, '--json'];
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
