/**
 * The real side of a case: kwok nodes from the case's topology, its manifests applied one workload at
 * a time in a fresh namespace (the simulator places workloads in input order too), then where the
 * real kube-scheduler bound each pod, and for a drain case what the Eviction API (policy/v1 Eviction
 * subresource) answered. Plain HTTPS with the kubeconfig's client certificate (tools/cluster/kube.mjs).
 */
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { applyNodes, deleteNodes, waitNodesReady } from '../../tools/cluster/nodes.mjs';
import type { JsonObject } from '../../src/model/types.js';
import { CLUSTER_KINDS, DAEMON_KIND, podSpecOf, shortId, WORKLOAD_KINDS, type FidelityCase } from './case.js';
import {
  bump,
  sortedRecord,
  ZONE_LABEL,
  type DrainObservation,
  type Observation,
  type WorkloadEvictions,
  type WorkloadPlacement,
} from './observation.js';
import { inNamespace } from './predict.js';
import { until } from '../e2e/support.js';
import {
  desiredOf,
  isReady,
  isUnschedulable,
  podFilter,
  resourcePath,
  selected,
  terminating,
  type Obj,
} from './pods.js';
import { observeFailure } from './failure.js';

const FIELD_MANAGER = 'kubeha-fidelity';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** Every pod the DaemonSet controller wants is Ready. */
async function waitDaemonSet(kc: Kubeconfig, ns: string, name: string): Promise<void> {
  await until(`DaemonSet ${name} to be Ready on its nodes`, 60_000, async () => {
    const { body } = await kubeCall(kc, 'GET', resourcePath(DAEMON_KIND, ns, name));
    const s = body.status ?? {};
    const done =
      s.observedGeneration === body.metadata.generation &&
      s.desiredNumberScheduled > 0 &&
      s.numberReady === s.desiredNumberScheduled;
    return done ? true : undefined;
  });
}

const isDaemonPod = (p: Obj): boolean =>
  (p.metadata.ownerReferences ?? []).some((o: Obj) => o.kind === DAEMON_KIND);

async function listPods(kc: Kubeconfig, ns: string): Promise<Obj[]> {
  const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods`);
  return (body.items as Obj[]).filter((p) => !terminating(p));
}

/** Every pod of the workload exists and is bound, or kube-scheduler reported it Unschedulable. */
async function waitSettled(kc: Kubeconfig, ns: string, m: JsonObject, ready: boolean): Promise<void> {
  const mine = podFilter(m);
  const desired = desiredOf(m);
  await until(`the pods of ${shortId(m)} to be bound or Unschedulable`, 60_000, async () => {
    const pods = (await listPods(kc, ns)).filter(mine);
    if (pods.length < desired) return undefined;
    const done = pods.every((p) => (p.spec.nodeName ? !ready || isReady(p) : isUnschedulable(p)));
    return done ? true : undefined;
  });
}

/** The nodes carry their taints (and a cordoned one the controller's unschedulable taint) and no other. */
async function waitNodesAsWritten(kc: Kubeconfig, c: FidelityCase): Promise<void> {
  const key = (t: Obj): string => `${t.key}=${t.value ?? ''}:${t.effect}`;
  const want = new Map(
    c.nodes.map((n) => {
      const taints = (n.spec.taints ?? []).map(key);
      if (n.spec.unschedulable) taints.push(`${UNSCHEDULABLE_TAINT}=:NoSchedule`);
      return [n.metadata.name, taints.sort().join(',')];
    }),
  );
  await until('the nodes to carry exactly their own taints', 60_000, async () => {
    const { body } = await kubeCall(kc, 'GET', '/api/v1/nodes');
    // An isolated case shares the cluster with the others: it looks at its own nodes only.
    const items = (body.items as Obj[]).filter((n) => !c.isolated || want.has(n.metadata.name));
    const foreign = items.map((n) => n.metadata.name as string).filter((n) => !want.has(n));
    if (foreign.length > 0) throw foreignNodes(foreign);
    if (items.length !== want.size) return undefined;
    const exact = items.every(
      (n) => (n.spec.taints ?? []).map(key).sort().join(',') === want.get(n.metadata.name),
    );
    return exact ? true : undefined;
  });
}

function foreignNodes(names: string[]): Error {
  return new Error(
    `the cluster has nodes that are not the case's (${names.join(', ')}): fidelity needs a cluster with no other nodes`,
  );
}

/** Waits until the cluster has no node (another test may still be deleting its own). */
export async function waitNoNodes(kc: Kubeconfig, timeoutMs = 30_000): Promise<void> {
  let names: string[] = [];
  try {
    await until('a cluster with no nodes', timeoutMs, async () => {
      const { body } = await kubeCall(kc, 'GET', '/api/v1/nodes');
      names = (body.items as Obj[]).map((n) => n.metadata.name as string);
      return names.length === 0 ? true : undefined;
    });
  } catch {
    throw foreignNodes(names);
  }
}

/**
 * Waits until the disruption controller has counted every PDB of the namespace against the pods now
 * there. A pod that two PDBs select is refused by the Eviction API whatever their status says, and
 * the controller then recounts only one of them on pod changes (getPdbForPod picks one), so for such
 * PDBs it is enough that their spec was seen.
 */
async function waitBudgets(kc: Kubeconfig, ns: string, pdbs: JsonObject[]): Promise<void> {
  for (const pdb of pdbs) {
    const name = String((pdb['metadata'] as JsonObject)['name']);
    const mine = selected(pdb);
    const others = pdbs.filter((p) => p !== pdb).map(selected);
    await until(`the status of PDB ${name}`, 60_000, async () => {
      const { body } = await kubeCall(kc, 'GET', resourcePath('PodDisruptionBudget', ns, name));
      const pods = (await listPods(kc, ns)).filter(mine);
      const s = body.status ?? {};
      if (s.observedGeneration !== body.metadata.generation) return undefined;
      if (pods.some((p) => others.some((o) => o(p)))) return true;
      const healthy = pods.filter((p) => p.spec.nodeName && isReady(p)).length;
      const current = s.currentHealthy === healthy && Object.keys(s.disruptedPods ?? {}).length === 0;
      return current ? true : undefined;
    });
  }
}

async function evict(kc: Kubeconfig, ns: string, pod: string): Promise<number> {
  const res = await kubeRequest(
    kc,
    'POST',
    `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}/eviction`,
    {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: pod, namespace: ns },
    },
  );
  if (res.status === 201 || res.status === 200 || res.status === 429 || res.status === 500) return res.status;
  throw new Error(`eviction of ${pod}: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
}

/**
 * `kubectl drain`: cordon, then evict every pod on the node at once; refused evictions are retried once the
 * replacements of the allowed ones are bound (or Unschedulable) and Ready and the budgets are
 * recounted. Blocked when a pass after that lets nothing through.
 */
async function drain(kc: Kubeconfig, c: FidelityCase, ns: string, node: string): Promise<DrainObservation> {
  await kubeCall(
    kc,
    'PATCH',
    `/api/v1/nodes/${encodeURIComponent(node)}`,
    { spec: { unschedulable: true } },
    'application/strategic-merge-patch+json',
  );
  const workloads = c.manifests.filter((m) => WORKLOAD_KINDS.has(String(m['kind'])));
  const pdbs = c.manifests.filter((m) => m['kind'] === 'PodDisruptionBudget');
  const settle = async (): Promise<void> => {
    for (const m of workloads) if (m['kind'] !== 'Pod') await waitSettled(kc, ns, m, true);
    await waitBudgets(kc, ns, pdbs);
  };
  const ownerOf = (p: Obj): JsonObject | undefined => workloads.find((m) => podFilter(m)(p));
  const stats = new Map<string, WorkloadEvictions>();
  let blocked = false;
  for (let pass = 0; ; pass++) {
    const onNode = (await listPods(kc, ns))
      // kubectl drain --ignore-daemonsets, as the simulator's drain does
      .filter((p) => p.spec.nodeName === node && !isDaemonPod(p))
      .sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
      );
    if (onNode.length === 0) break;
    // All at once, as kubectl drain does (a goroutine per pod): one after another, a fast replacement
    // could be Ready and recounted between two evictions, and the first pass would depend on timing.
    const statuses = await Promise.all(onNode.map((p) => evict(kc, ns, p.metadata.name)));
    let allowed = 0;
    for (const [i, p] of onNode.entries()) {
      const status = statuses[i]!;
      const ok = status === 201 || status === 200;
      if (ok) allowed++;
      if (pass > 0) continue;
      const owner = ownerOf(p);
      if (!owner) continue;
      const id = shortId(owner);
      const s = stats.get(id) ?? { workload: id, onNode: 0, allowed: 0, refused: 0, pendingAfter: 0 };
      s.onNode++;
      if (ok) s.allowed++;
      else s.refused++;
      stats.set(id, s);
    }
    if (allowed === 0 && pass > 0) {
      blocked = true;
      break;
    }
    if (pass >= 20) throw new Error(`drain of ${node} still going after 20 passes`);
    await settle();
  }
  await settle();
  const pods = await listPods(kc, ns);
  for (const s of stats.values()) {
    const m = workloads.find((w) => shortId(w) === s.workload)!;
    s.pendingAfter = pods.filter((p) => podFilter(m)(p) && !p.spec.nodeName).length;
  }
  return { node, workloads: [...stats.values()], blocked };
}

async function readPlacement(kc: Kubeconfig, c: FidelityCase, ns: string): Promise<WorkloadPlacement[]> {
  const pods = await listPods(kc, ns);
  const zoneOf = new Map(c.nodes.map((n) => [n.metadata.name, n.metadata.labels[ZONE_LABEL] ?? '']));
  return c.manifests
    .filter((m) => WORKLOAD_KINDS.has(String(m['kind'])))
    .map((m) => {
      const mine = pods.filter(podFilter(m));
      const byNode: Record<string, number> = {};
      const byZone: Record<string, number> = {};
      let scheduled = 0;
      for (const p of mine) {
        if (!p.spec.nodeName) continue;
        scheduled++;
        bump(byNode, p.spec.nodeName);
        bump(byZone, zoneOf.get(p.spec.nodeName) ?? '');
      }
      return {
        workload: shortId(m),
        desired: desiredOf(m),
        scheduled,
        pending: mine.length - scheduled,
        byNode: sortedRecord(byNode),
        byZone: sortedRecord(byZone),
      };
    });
}

/** The priority of a workload's pods: its PriorityClass's value, else 0 (cases set no globalDefault). */
function priorityOf(c: FidelityCase): (m: JsonObject) => number {
  const values = new Map(
    c.manifests
      .filter((m) => m['kind'] === 'PriorityClass')
      .map((m) => [String((m['metadata'] as JsonObject)['name']), Number(m['value'])]),
  );
  return (m) => {
    const name = podSpecOf(m)?.['priorityClassName'];
    return typeof name === 'string' ? (values.get(name) ?? 0) : 0;
  };
}

/**
 * Waits until no pod is bound to the case's node names. A pod of an earlier run of the case can
 * outlive its node (pod garbage collection deletes such pods after a while): a node made again under
 * the same name would carry it, with its requests and labels, into this run.
 */
async function waitNodeNamesFree(kc: Kubeconfig, names: string[]): Promise<void> {
  for (const name of names) {
    const selector = encodeURIComponent(`spec.nodeName=${name}`);
    await until(`the pods of an earlier run to leave node name ${name}`, 120_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/api/v1/pods?fieldSelector=${selector}`);
      return (body.items as Obj[]).length === 0 ? true : undefined;
    });
  }
}

/** Runs the case on the real control plane and removes what it made (nodes and namespace). */
export async function observe(kc: Kubeconfig, c: FidelityCase, ns: string): Promise<Observation> {
  const names = c.nodes.map((n) => n.metadata.name);
  // What the failure leaves to undo before the namespace and nodes go (the lost nodes' policy).
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await waitNodeNamesFree(kc, names);
    await applyNodes(kc, c.nodes);
    await waitNodesReady(kc, names, 60_000);
    await waitNodesAsWritten(kc, c);
    await kubeCall(kc, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    await until(`ServiceAccount default in ${ns}`, 30_000, async () => {
      const r = await kubeRequest(kc, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
      return r.status === 200 ? true : undefined;
    });
    // Services and budgets first (kube-scheduler's default spreading looks the Services up), then
    // DaemonSets (the simulator puts their pods on every node before it places anything), then each
    // workload once the one before it is placed, highest priority first: kube-scheduler's queue
    // sorts pods created together by priority (PrioritySort), and so does the simulator.
    const kindOf = (m: JsonObject): string => String(m['kind']);
    const priority = priorityOf(c);
    const ordered = [
      ...c.manifests.filter((m) => !WORKLOAD_KINDS.has(kindOf(m)) && kindOf(m) !== DAEMON_KIND),
      ...c.manifests.filter((m) => kindOf(m) === DAEMON_KIND),
      ...c.manifests.filter((m) => WORKLOAD_KINDS.has(kindOf(m))).sort((a, b) => priority(b) - priority(a)),
    ];
    for (const m of ordered) {
      const kind = String(m['kind']);
      const name = String((m['metadata'] as JsonObject)['name']);
      await kubeCall(
        kc,
        'PATCH',
        `${resourcePath(kind, ns, name)}?fieldManager=${FIELD_MANAGER}&force=true`,
        inNamespace(m, ns),
        'application/apply-patch+yaml',
      );
      if (WORKLOAD_KINDS.has(kind)) await waitSettled(kc, ns, m, Boolean(c.drain || c.failure));
      if (kind === DAEMON_KIND) await waitDaemonSet(kc, ns, name);
    }
    const placement = await readPlacement(kc, c, ns);
    if (c.failure) {
      await waitBudgets(
        kc,
        ns,
        c.manifests.filter((m) => m['kind'] === 'PodDisruptionBudget'),
      );
      return { placement, outcomes: await observeFailure(kc, c, ns, cleanups) };
    }
    if (!c.drain) return { placement };
    await waitBudgets(
      kc,
      ns,
      c.manifests.filter((m) => m['kind'] === 'PodDisruptionBudget'),
    );
    return { placement, drain: await drain(kc, c, ns, c.drain) };
  } finally {
    for (const undo of cleanups.reverse()) await undo();
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    // The pods go before their nodes: a pod whose node is gone lingers until pod garbage collection,
    // and nothing would confirm a lost node's Terminating pods. A terminating namespace takes no new
    // pods, so deleting them outright until none is left ends (the API server may apply a removed
    // lost-node policy for a moment longer).
    await until(`the pods of ${ns} to be gone`, 60_000, async () => {
      await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}/pods?gracePeriodSeconds=0`);
      const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods`);
      return (body.items as Obj[]).length === 0 ? true : undefined;
    });
    for (const m of c.manifests.filter((x) => CLUSTER_KINDS.has(String(x['kind']))))
      await kubeRequest(
        kc,
        'DELETE',
        resourcePath(String(m['kind']), ns, String((m['metadata'] as JsonObject)['name'])),
      );
    await deleteNodes(kc, names);
  }
}
