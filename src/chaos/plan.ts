import { getAt } from '../model/json-path.js';
import { isPodReady, nodeNameOf, zoneOf } from '../model/live.js';
import { ObjectIndex } from '../model/object-index.js';
import { controllerRef, topOwner } from '../model/owners.js';
import type { K8sObject } from '../model/types.js';
import { pdbFloor } from '../simulate/context.js';

/** What a live experiment does to the cluster (the simulator's scenarios, for real). */
export type ExperimentKind = 'node-loss' | 'zone-loss' | 'drain';
export const EXPERIMENT_KINDS: readonly ExperimentKind[] = ['node-loss', 'zone-loss', 'drain'];

export interface Experiment {
  kind: ExperimentKind;
  /** A node name (node-loss, drain) or a zone (zone-loss). */
  target: string;
}

export interface TargetPod {
  namespace: string;
  name: string;
  /** The pod deleted or evicted is this one (a StatefulSet's replacement has the same name). */
  uid: string | undefined;
  node: string;
  /** `namespace/Kind/name` of the workload the pod belongs to (the pod itself when bare). */
  workload: string;
}

export interface WatchedWorkload {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  desired: number;
  floor: number;
  floorSource: string;
  /** Ready replicas before the experiment. */
  readyBefore: number;
}

export interface ExperimentPlan {
  experiment: Experiment;
  /** Nodes cordoned for the experiment (those not cordoned already are uncordoned after it). */
  nodes: { name: string; zone: string | undefined; cordoned: boolean }[];
  /** Pods deleted (node-loss, zone-loss) or evicted (drain). */
  pods: TargetPod[];
  /** Pods on those nodes left alone, and why (DaemonSet pods, mirror pods, finished pods). */
  skipped: { namespace: string; name: string; reason: string }[];
  /** Workloads with a pod among `pods`: their readiness is what the experiment measures. */
  workloads: WatchedWorkload[];
  /** The zone of every node (not only the lost ones), to say where replicas ran before and after. */
  zones: Record<string, string>;
}

const WATCHED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Pod']);

/**
 * Plans an experiment on live objects (as `readCluster` returns them). Pure: which nodes, which pods,
 * which workloads to watch, and each workload's floor as the simulator sets it (the PDB's, else half
 * of the replicas rounded up), so a live verdict reads like a simulated one.
 */
export function planExperiment(
  objects: readonly K8sObject[],
  experiment: Experiment,
): ExperimentPlan | string {
  const index = new ObjectIndex(objects);
  const allNodes = index.ofKind('Node');
  const nodes = allNodes.filter((n) =>
    experiment.kind === 'zone-loss' ? zoneOf(n) === experiment.target : n.name === experiment.target,
  );
  if (nodes.length === 0) {
    const known =
      experiment.kind === 'zone-loss'
        ? [...new Set(allNodes.map(zoneOf).filter((z): z is string => z !== undefined))]
        : allNodes.map((n) => n.name);
    return `no ${experiment.kind === 'zone-loss' ? 'zone' : 'node'} "${experiment.target}" (${known.slice(0, 8).join(', ') || 'none'}${known.length > 8 ? ', …' : ''})`;
  }
  const targetNodes = new Set(nodes.map((n) => n.name));
  const pods: TargetPod[] = [];
  const skipped: ExperimentPlan['skipped'] = [];
  for (const pod of index.ofKind('Pod')) {
    const node = nodeNameOf(pod);
    if (node === undefined || !targetNodes.has(node)) continue;
    const phase = getAt(pod.raw, '/status/phase');
    const annotations = getAt(pod.raw, '/metadata/annotations');
    const skip = (reason: string): void =>
      void skipped.push({ namespace: pod.namespace, name: pod.name, reason });
    // As kubectl drain: a DaemonSet's pod comes back on the same node, a static pod is the kubelet's.
    if (controllerRef(pod)?.kind === 'DaemonSet') skip('DaemonSet pod');
    else if (annotations && typeof annotations === 'object' && 'kubernetes.io/config.mirror' in annotations)
      skip('mirror (static) pod');
    else if (phase === 'Succeeded' || phase === 'Failed') skip(`finished (${String(phase)})`);
    else {
      const owner = topOwner(index, pod);
      const uid = getAt(pod.raw, '/metadata/uid');
      pods.push({
        namespace: pod.namespace,
        name: pod.name,
        uid: typeof uid === 'string' ? uid : undefined,
        node,
        workload: `${owner.namespace}/${owner.kind}/${owner.name}`,
      });
    }
  }
  const watched = new Map<string, WatchedWorkload>();
  for (const p of pods) {
    if (watched.has(p.workload)) continue;
    const [namespace, kind, name] = p.workload.split('/') as [string, string, string];
    if (!WATCHED.has(kind)) continue;
    const w = index.workload(namespace, kind, name);
    if (!w) continue;
    const object = w.object;
    const desired = kind === 'Pod' ? 1 : (numberAt(object, '/spec/replicas') ?? 1);
    const readyBefore =
      kind === 'Pod' ? (isPodReady(object) ? 1 : 0) : (numberAt(object, '/status/readyReplicas') ?? 0);
    let floor = Math.ceil(desired / 2);
    let floorSource = `half of ${desired}, rounded up (no PDB)`;
    const pdb = index.pdbsFor(w)[0];
    if (pdb) {
      const f = pdbFloor(
        getAt(pdb.raw, '/spec/minAvailable'),
        getAt(pdb.raw, '/spec/maxUnavailable'),
        desired,
      );
      if (f !== undefined) {
        floor = f;
        floorSource = `PDB ${pdb.name}`;
      }
    }
    watched.set(p.workload, {
      id: p.workload,
      kind,
      namespace,
      name,
      desired,
      floor: Math.min(floor, desired),
      floorSource,
      readyBefore,
    });
  }
  return {
    experiment,
    nodes: nodes.map((n) => ({
      name: n.name,
      zone: zoneOf(n),
      cordoned: getAt(n.raw, '/spec/unschedulable') === true,
    })),
    pods,
    skipped,
    workloads: [...watched.values()],
    zones: Object.fromEntries(
      allNodes.flatMap((n) => {
        const zone = zoneOf(n);
        return zone === undefined ? [] : [[n.name, zone]];
      }),
    ),
  };
}

function numberAt(o: K8sObject, path: string): number | undefined {
  const v = getAt(o.raw, path);
  return typeof v === 'number' ? v : undefined;
}
