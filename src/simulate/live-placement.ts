/**
 * A live cluster as the simulator's starting point: its Nodes, the pods of the simulated workloads
 * where they run (Topology.live), the other pods as background load, and the PDBs' status. Pure: the
 * objects a cluster read returned in, a Topology out.
 */
import { getAt } from '../model/json-path.js';
import { stringMap } from '../model/labels.js';
import { ObjectIndex } from '../model/object-index.js';
import { ownerOf, podsOf, topOwner } from '../model/owners.js';
import { pdbStatus } from '../model/pdb-status.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import type { Workload } from '../model/workload.js';
import { podRequests } from './pod-spec.js';
import { topologyFromObjects } from './topology.js';
import type { LiveBudget, PlacedPod, Topology } from './types.js';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** The status of a condition of a pod (`Ready`, `PodScheduled`), and its message. */
function condition(pod: K8sObject, type: string): { status: unknown; message: unknown } | undefined {
  const conditions = getAt(pod.raw, '/status/conditions');
  if (!Array.isArray(conditions)) return undefined;
  for (const c of conditions)
    if (isJsonObject(c) && c['type'] === type) return { status: c['status'], message: c['message'] };
  return undefined;
}

/**
 * The hash the workload's controller puts on the pods of its current template: a Deployment's newest
 * ReplicaSet's pod-template-hash (the highest revision annotation), a StatefulSet's
 * status.updateRevision. Undefined when the cluster does not say.
 */
function currentRevision(w: Workload, replicaSets: ReadonlyMap<K8sObject, K8sObject[]>): string | undefined {
  if (w.kind === 'StatefulSet') {
    const r = getAt(w.object.raw, '/status/updateRevision');
    return typeof r === 'string' && r !== '' ? r : undefined;
  }
  if (w.kind !== 'Deployment') return undefined;
  let best: { revision: number; hash: string } | undefined;
  for (const rs of replicaSets.get(w.object) ?? []) {
    const revision = Number(stringMap(getAt(rs.raw, '/metadata/annotations'))[REVISION_ANNOTATION]);
    const hash = stringMap(getAt(rs.raw, '/metadata/labels'))['pod-template-hash'];
    if (hash === undefined || !Number.isFinite(revision)) continue;
    if (!best || revision > best.revision) best = { revision, hash };
  }
  return best?.hash;
}

/** The pod's revision label, for the kinds whose controller sets one. */
function podRevision(w: Workload, labels: Record<string, string>): string | undefined {
  if (w.kind === 'Deployment') return labels['pod-template-hash'];
  if (w.kind === 'StatefulSet') return labels['controller-revision-hash'];
  return undefined;
}

/**
 * A PDB's status, when the disruption controller has computed it for the PDB's current spec (its
 * observedGeneration has caught up: the Eviction API refuses every eviction until it has).
 */
export function liveBudget(pdb: K8sObject): LiveBudget | undefined {
  const status = pdbStatus(pdb);
  if (!status?.current) return undefined;
  const { disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods } = status;
  if (
    disruptionsAllowed === undefined ||
    currentHealthy === undefined ||
    desiredHealthy === undefined ||
    expectedPods === undefined
  )
    return undefined;
  const policy = getAt(pdb.raw, '/spec/unhealthyPodEvictionPolicy');
  return {
    pdb: pdb.id,
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    ...(policy === 'AlwaysAllow' || policy === 'IfHealthyBudget'
      ? { unhealthyPodEvictionPolicy: policy }
      : {}),
  };
}

function placedPod(pod: K8sObject, workload: string, current: string | undefined, w: Workload): PlacedPod {
  const spec = getAt(pod.raw, '/spec');
  const req = podRequests(isJsonObject(spec) ? spec : {});
  const labels = stringMap(getAt(pod.raw, '/metadata/labels'));
  const node = getAt(pod.raw, '/spec/nodeName');
  const priority = getAt(pod.raw, '/spec/priority');
  const revision = podRevision(w, labels);
  const scheduled = condition(pod, 'PodScheduled');
  const bound = typeof node === 'string' && node !== '';
  return {
    name: pod.name,
    namespace: pod.namespace,
    workload,
    labels,
    cpu: req.cpu,
    memory: req.memory,
    ...(typeof priority === 'number' ? { priority } : {}),
    ...(bound ? { node } : {}),
    ready: condition(pod, 'Ready')?.status === 'True',
    ...(getAt(pod.raw, '/metadata/deletionTimestamp') ? { terminating: true } : {}),
    ...(current !== undefined && revision !== undefined && revision !== current
      ? { oldRevision: revision }
      : {}),
    ...(!bound && typeof scheduled?.message === 'string' && scheduled.message !== ''
      ? { pendingMessage: scheduled.message }
      : {}),
  };
}

/**
 * A live cluster as a simulator topology. `live` is everything a cluster read returned; `simulated`
 * the objects to simulate: the live ones themselves (`scan --simulate`, `simulate --cluster`), or
 * manifests about to be applied (`simulate --cluster -f`).
 *
 * - Workloads that are live objects start from their pods where they run: each Pod is matched to
 *   its workload through its ownerReferences (Pod → ReplicaSet → Deployment, Pod → StatefulSet, …),
 *   and to its revision by its pod-template-hash / controller-revision-hash;
 * - workloads from manifests are placed by the simulator: their live namesakes' pods are neither
 *   theirs nor load (counting them would fill their nodes twice);
 * - every other running pod is background load;
 * - a live PDB's status (disruptionsAllowed, currentHealthy, …) is where its budget starts.
 */
export function liveTopology(live: readonly K8sObject[], simulated: readonly K8sObject[]): Topology {
  const index = new ObjectIndex(live);
  const simIndex = simulated === live ? index : new ObjectIndex(simulated);
  const liveObjects = new Set(live);
  const simulatedIds = new Set(simIndex.workloads.map((w) => w.object.id));
  const liveWorkloads = simIndex.workloads.filter((w) => liveObjects.has(w.object));
  const nodes = live.filter((o) => o.kind === 'Node');
  const nodeNames = new Set(nodes.map((n) => n.name));
  const pods: PlacedPod[] = [];
  const revisions: Record<string, string> = {};
  const theirs = new Set<K8sObject>();
  // The simulated index may be another one over the same objects: owners are looked up in the live one.
  const liveByObject = new Map(index.workloads.map((w) => [w.object, w]));
  const replicaSets = new Map<K8sObject, K8sObject[]>();
  for (const rs of index.ofKind('ReplicaSet')) {
    const owner = ownerOf(index, rs);
    if (!owner) continue;
    const list = replicaSets.get(owner);
    if (list) list.push(rs);
    else replicaSets.set(owner, [rs]);
  }
  for (const w of liveWorkloads) {
    const lw = liveByObject.get(w.object) ?? w;
    const current = currentRevision(lw, replicaSets);
    if (current !== undefined) revisions[w.object.id] = current;
    for (const pod of podsOf(index, lw)) {
      theirs.add(pod);
      const phase = getAt(pod.raw, '/status/phase');
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const p = placedPod(pod, w.object.id, current, lw);
      if (p.node !== undefined && !nodeNames.has(p.node)) continue;
      pods.push(p);
    }
    // A bare Pod is its own workload.
    if (w.kind === 'Pod' && !theirs.has(w.object)) {
      theirs.add(w.object);
      const phase = getAt(w.object.raw, '/status/phase');
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const p = placedPod(w.object, w.object.id, undefined, lw);
        if (p.node === undefined || nodeNames.has(p.node)) pods.push(p);
      }
    }
  }
  pods.sort((a, b) =>
    a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : a.name < b.name ? -1 : 1,
  );
  const load = live.filter(
    (o) => o.kind === 'Pod' && !theirs.has(o) && !simulatedIds.has(topOwner(index, o).id),
  );
  const { topology } = topologyFromObjects([...nodes, ...load]);
  const budgets = simulated
    .filter((o) => o.kind === 'PodDisruptionBudget' && liveObjects.has(o))
    .map(liveBudget)
    .filter((b) => b !== undefined);
  return {
    ...topology,
    live: { workloads: liveWorkloads.map((w) => w.object.id), revisions, pods, budgets },
  };
}
