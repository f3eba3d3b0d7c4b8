/**
 * The real side of a case's failure (`lose:`, `loseZone:`, `rollout:`), once placement is done: a
 * watch on the namespace's pods sees every change, so the lowest ready count of each workload is
 * exact however briefly it lasts; the failure is made; the runner waits until the controllers and
 * the scheduler have nothing left to do; then it reads what each workload came to and judges it as
 * the simulator does (docs/simulate.md, Verdicts: the floor is the PDB's minimum as the disruption
 * controller computed it, desiredHealthy, else ⌈desired / 2⌉).
 */
import { kubeCall, kubeWatch, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import type { JsonObject } from '../../src/model/types.js';
import { verdictOf } from '../../src/simulate/verdict.js';
import { CASE_LABEL, shortId, WORKLOAD_KINDS, type FidelityCase } from './case.js';
import { loseNodes } from './lost-nodes.js';
import type { WorkloadOutcome } from './observation.js';
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
import { until } from '../e2e/support.js';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
/** No pod changed for this long, and nothing is left to happen: the failure has settled. */
const QUIET_MS = 3_000;

const nameOf = (m: JsonObject): string => String((m['metadata'] as JsonObject)['name']);

/** Ready: the Ready condition, on a pod that is not being deleted. */
const counts = (p: Obj): boolean => !terminating(p) && isReady(p);

interface Tracked {
  m: JsonObject;
  id: string;
  mine: (p: Obj) => boolean;
  desired: number;
  floor: number;
  readyBefore: number;
  pendingBefore: number;
  minReady: number;
  touched: boolean;
}

/** The tolerationSeconds of the unreachable NoExecute taint: undefined for ever. */
function unreachableSeconds(p: Obj): number | undefined {
  for (const t of p.spec.tolerations ?? []) {
    const key = t.key === UNREACHABLE || (t.key === undefined && t.operator === 'Exists');
    if (key && (t.effect === undefined || t.effect === 'NoExecute')) return t.tolerationSeconds;
  }
  return 300; // the DefaultTolerationSeconds plugin's
}

async function floorOf(
  kc: Kubeconfig,
  c: FidelityCase,
  ns: string,
  m: JsonObject,
  pods: Obj[],
): Promise<number> {
  const mine = pods.filter(podFilter(m));
  for (const pdb of c.manifests.filter((x) => x['kind'] === 'PodDisruptionBudget')) {
    if (mine.length === 0 || !mine.every(selected(pdb))) continue;
    const name = String((pdb['metadata'] as JsonObject)['name']);
    const { body } = await kubeCall(kc, 'GET', resourcePath('PodDisruptionBudget', ns, name));
    return Number(body.status?.desiredHealthy ?? 0);
  }
  return Math.ceil(desiredOf(m) / 2);
}

async function listPods(kc: Kubeconfig, ns: string): Promise<{ pods: Obj[]; rv: string }> {
  const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods`);
  return { pods: body.items as Obj[], rv: String(body.metadata.resourceVersion) };
}

/** Whether a workload's rollout finished: every replica updated and available, no old one left. */
function rolledOut(kind: string, w: Obj): boolean {
  const s = w.status ?? {};
  const replicas = w.spec.replicas ?? 1;
  if (s.observedGeneration !== w.metadata.generation) return false;
  if (kind === 'StatefulSet')
    return (
      s.updatedReplicas === replicas && s.currentRevision === s.updateRevision && s.readyReplicas === replicas
    );
  return s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas;
}

/** Makes the case's failure, waits until it settled, and reports every workload. */
export async function observeFailure(
  kc: Kubeconfig,
  c: FidelityCase,
  ns: string,
  cleanups: (() => Promise<void>)[],
): Promise<WorkloadOutcome[]> {
  const f = c.failure!;
  const first = await listPods(kc, ns);
  const tracked: Tracked[] = [];
  for (const m of c.manifests.filter((x) => WORKLOAD_KINDS.has(String(x['kind'])))) {
    const mine = podFilter(m);
    const own = first.pods.filter(mine).filter((p) => !terminating(p));
    const ready = own.filter(counts).length;
    tracked.push({
      m,
      id: shortId(m),
      mine,
      desired: desiredOf(m),
      floor: await floorOf(kc, c, ns, m, first.pods),
      readyBefore: ready,
      pendingBefore: own.filter((p) => !p.spec.nodeName).length,
      minReady: ready,
      touched: false,
    });
  }

  // Every pod change from now on, in order: the ready counts are recounted after each.
  const pods = new Map<string, Obj>(first.pods.map((p) => [p.metadata.uid as string, p]));
  let lastChange = Date.now();
  let rv = first.rv;
  let watchError: string | undefined;
  const onEvent = (e: { type: string; object: Obj }): void => {
    if (e.type === 'BOOKMARK') {
      rv = e.object.metadata.resourceVersion;
      return;
    }
    if (e.type === 'ERROR') {
      // e.g. 410 Gone: events were lost, so the lowest ready count could be wrong.
      watchError = `the pod watch of ${ns} broke: ${JSON.stringify(e.object?.message ?? e.object)}`;
      return;
    }
    const p = e.object;
    rv = p.metadata.resourceVersion;
    if (e.type === 'DELETED') pods.delete(p.metadata.uid);
    else pods.set(p.metadata.uid, p);
    lastChange = Date.now();
    for (const t of tracked) {
      if (!t.mine(p)) continue;
      t.touched = true;
      const ready = [...pods.values()].filter((x) => t.mine(x) && counts(x)).length;
      t.minReady = Math.min(t.minReady, ready);
    }
  };
  let watching = true;
  let watch = kubeWatch(kc, `/api/v1/namespaces/${ns}/pods`, rv, onEvent);
  // The API server ends a watch after a while: pick it up where it stopped.
  const rewatch = async (): Promise<void> => {
    while (watching) {
      await watch.done.catch(() => undefined);
      if (watching) watch = kubeWatch(kc, `/api/v1/namespaces/${ns}/pods`, rv, onEvent);
    }
  };
  const rewatching = rewatch();

  try {
    const lost =
      f.kind === 'node-loss'
        ? [f.node]
        : f.kind === 'zone-loss'
          ? c.nodes
              .filter((n) => n.metadata.labels['topology.kubernetes.io/zone'] === f.zone)
              .map((n) => n.metadata.name)
          : [];
    const lostSet = new Set(lost);
    if (lost.length > 0) {
      const handle = await loseNodes(kc, `kubeha-fidelity-${ns}`, lost);
      cleanups.push(() => handle.restore());
    } else {
      const m = tracked.find((t) => t.id === (f.kind === 'rollout' ? f.workload : ''))!.m;
      // A new revision: what `kubectl rollout restart` writes.
      await kubeCall(
        kc,
        'PATCH',
        resourcePath(String(m['kind']), ns, nameOf(m)),
        {
          spec: {
            template: {
              metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
            },
          },
        },
        'application/strategic-merge-patch+json',
      );
    }

    const healthy = c.nodes.map((n) => n.metadata.name).filter((n) => !lostSet.has(n));
    await until(`the ${f.kind} of ${c.id} to settle`, 180_000, async () => {
      // A node the case did not lose must stay Ready: if it went Unknown, kwok's lease renewals were
      // starved (a loaded machine), and the run says nothing about the simulator.
      const { body: list } = await kubeCall(
        kc,
        'GET',
        `/api/v1/nodes?labelSelector=${encodeURIComponent(`${CASE_LABEL}=${c.id}`)}`,
      );
      for (const n of list.items as Obj[]) {
        if (!healthy.includes(n.metadata.name)) continue;
        // Not-ready too: kwok's status updates starve as its lease renewals do, and a healthy node
        // tainted for even a few seconds can leave a replacement Unschedulable past the quiet time.
        const taint = ((n.spec.taints ?? []) as Obj[]).find(
          (t) => t.key === UNREACHABLE || t.key === 'node.kubernetes.io/not-ready',
        );
        if (taint)
          throw new Error(
            `${c.id}: node ${n.metadata.name}, which the case did not lose, got the ${String(taint.key)} taint: kwok's lease renewals or status updates were starved (machine load); rerun`,
          );
      }
      if (lost.length > 0) {
        // The node lifecycle controller has seen every lost node go, and tainted it.
        const tainted: number[] = [];
        for (const name of lost) {
          const { body } = await kubeCall(kc, 'GET', `/api/v1/nodes/${name}`);
          const t = (body.spec.taints ?? []).find(
            (x: Obj) => x.key === UNREACHABLE && x.effect === 'NoExecute',
          );
          if (!t) return undefined;
          tainted.push(Date.parse(t.timeAdded));
        }
        // Every pod there whose toleration runs out has been evicted (is Terminating).
        const onLost = [...pods.values()].filter((p) => lostSet.has(p.spec.nodeName));
        if (onLost.some((p) => !terminating(p) && unreachableSeconds(p) !== undefined)) return undefined;
        // And the taint-eviction controller has no pod left to evict later.
        const longest = Math.max(0, ...onLost.map((p) => unreachableSeconds(p) ?? 0));
        if (Date.now() < Math.max(...tainted) + longest * 1000 + 1_000) return undefined;
      }
      if (watchError) throw new Error(watchError);
      if (Date.now() - lastChange < QUIET_MS) return undefined;
      // Every live pod is Ready, on a lost node, or reported Unschedulable by kube-scheduler (and not
      // waiting for the victims of a preemption to go).
      const live = [...pods.values()].filter((p) => !terminating(p) && !lostSet.has(p.spec.nodeName));
      for (const p of live) {
        if (p.spec.nodeName ? !isReady(p) : !isUnschedulable(p) || p.status?.nominatedNodeName)
          return undefined;
      }
      if (f.kind !== 'rollout') return true;
      // A rollout has settled when it finished, or when its controller has seen the new revision
      // and one of the workload's pods cannot be placed (it waits for that pod for ever).
      const t = tracked.find((x) => x.id === f.workload)!;
      const { body } = await kubeCall(kc, 'GET', resourcePath(String(t.m['kind']), ns, nameOf(t.m)));
      if (rolledOut(String(t.m['kind']), body)) return true;
      const seen = body.status?.observedGeneration === body.metadata.generation;
      return seen && live.some((p) => t.mine(p) && !p.spec.nodeName) ? true : undefined;
    });

    const after = (await listPods(kc, ns)).pods.filter((p) => !terminating(p));
    const out: WorkloadOutcome[] = [];
    for (const t of tracked) {
      const own = after.filter(t.mine);
      const readyAfter = own.filter(counts).length;
      const pendingAfter = own.filter((p) => !p.spec.nodeName).length;
      t.minReady = Math.min(t.minReady, readyAfter);
      let stuck = pendingAfter > t.pendingBefore;
      if (f.kind === 'rollout' && f.workload === t.id) {
        const { body } = await kubeCall(kc, 'GET', resourcePath(String(t.m['kind']), ns, nameOf(t.m)));
        if (!rolledOut(String(t.m['kind']), body)) stuck = true;
      }
      // A workload the failure did not touch is not judged again (the simulator lists only those).
      const verdict = t.touched
        ? verdictOf({ desired: t.desired, floor: t.floor, minReady: t.minReady, stuck })
        : 'ok';
      const pendingMessages = [
        ...new Set(
          own
            .filter((p) => !p.spec.nodeName)
            .flatMap((p) => (p.status?.conditions ?? []) as Obj[])
            .filter((c) => c.type === 'PodScheduled' && c.message)
            .map((c) => String(c.message)),
        ),
      ];
      out.push({
        workload: t.id,
        verdict,
        floor: t.floor,
        minReady: t.minReady,
        readyAfter,
        pendingAfter,
        ...(pendingMessages.length > 0 ? { pendingMessages } : {}),
      });
    }
    return out;
  } finally {
    watching = false;
    watch.stop();
    await rewatching;
  }
}
