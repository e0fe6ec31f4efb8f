// Where a backup pod may run. A ReadWriteOnce volume can be mounted on one node only: the node of
// the pod that has it mounted, or, when none does, the nodes the PersistentVolume is bound to
// (local volumes). Other volumes go wherever the scheduler puts them.
import {
  podFinished,
  type Affinity,
  type NodeSelectorTerm,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type Toleration,
} from '../kube/objects.js';
import { CONTROLLER, MANAGED_BY } from './annotations.js';

export interface Placement {
  affinity?: Affinity;
  tolerations?: Toleration[];
}

/** A volume no second pod may mount while its own pod runs. */
export function exclusiveToOnePod(claim: PersistentVolumeClaim): boolean {
  return claim.spec.accessModes?.includes('ReadWriteOncePod') ?? false;
}

function singleNode(claim: PersistentVolumeClaim): boolean {
  const modes = claim.spec.accessModes ?? [];
  const shared = modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany');
  return !shared && (modes.includes('ReadWriteOnce') || modes.includes('ReadWriteOncePod'));
}

/** The applications' pods, scheduled and not finished, that mount the claim (backup pods are not). */
export function podsMounting(claim: PersistentVolumeClaim, pods: Pod[]): Pod[] {
  return pods.filter(
    (pod) =>
      pod.spec.nodeName &&
      pod.metadata.labels?.[MANAGED_BY] !== CONTROLLER &&
      !podFinished(pod) &&
      !pod.metadata.deletionTimestamp &&
      (pod.spec.volumes ?? []).some(
        (volume) => volume.persistentVolumeClaim?.claimName === claim.metadata.name,
      ),
  );
}

export function placement(
  claim: PersistentVolumeClaim,
  volume: PersistentVolume | undefined,
  users: Pod[],
): Placement {
  if (!singleNode(claim)) return {};
  const user = users[0];
  if (user) {
    return {
      // matchFields on metadata.name, as DaemonSets pin their pods: the node's name, whatever its labels.
      affinity: nodeAffinity([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [user.spec.nodeName!] }] },
      ]),
      // The application's pod runs on that node, so its tolerations admit the backup pod there too.
      ...(user.spec.tolerations?.length ? { tolerations: user.spec.tolerations } : {}),
    };
  }
  const terms = volume?.spec.nodeAffinity?.required?.nodeSelectorTerms;
  return terms?.length ? { affinity: nodeAffinity(terms) } : {};
}

function nodeAffinity(nodeSelectorTerms: NodeSelectorTerm[]): Affinity {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}
