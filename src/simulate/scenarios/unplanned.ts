/**
 * Unplanned loss of nodes (node-loss, zone-loss): the nodes become unreachable at once, so their pods
 * stop being ready; the node lifecycle controller taints them (unreachable: NoSchedule and NoExecute),
 * and the taint-eviction controller deletes each pod when its toleration runs out (300 s unless the
 * pod says otherwise). With no kubelet to confirm the deletion, the pods stay Terminating on the lost
 * nodes: they keep the nodes' resources and count for inter-pod (anti-)affinity, but not for topology
 * spread. ReplicaSets replace them (a Terminating pod is not active); a StatefulSet cannot, since the
 * pod still holds its name, until the Node is deleted or tainted out-of-service (the pod GC then
 * force-deletes it). Pods that tolerate the taint forever stay Running on the node. The lost nodes
 * still exist and still count as topology domains.
 */
import type { SimPod } from '../cluster-state.js';
import type { SimContext, SimWorkload } from '../context.js';
import { HOSTNAME_LABEL, type ScenarioKind, type ScenarioResult } from '../types.js';
import { pendingAdvice, plural, spreadAdvice, Tracker, type Observation } from '../verdict.js';

interface Timeline {
  /** [seconds, ready] after each step. */
  points: [number, number][];
  lost: number;
  total: number;
  /** StatefulSet pods left Terminating, which the controller cannot recreate: [pod name, node]. */
  held: [string, string][];
  /** Nodes where its Terminating pods stay. */
  terminatingOn: Set<string>;
}

/** Loses the nodes at once and follows the controllers until the cluster settles (the harness rolls it back). */
export function loseNodes(
  ctx: SimContext,
  nodes: readonly number[],
  kind: ScenarioKind,
  id: string,
  where: string,
): ScenarioResult {
  const state = ctx.state;
  const tracker = new Tracker(ctx);
  const lost: SimPod[] = [];
  for (const n of nodes) for (const p of state.podsOn[n]!) if (p.workload >= 0 && !p.gone) lost.push(p);
  lost.sort((a, b) => a.workload - b.workload || a.id - b.id);
  const timelines = new Map<number, Timeline>();
  for (const p of lost) {
    const wl = ctx.workloads[p.workload]!;
    tracker.touch(wl);
    let t = timelines.get(wl.index);
    if (!t)
      timelines.set(
        wl.index,
        (t = { points: [], lost: 0, total: ctx.ready(wl), held: [], terminatingOn: new Set() }),
      );
    t.lost++;
  }
  for (const n of nodes) state.setUnreachable(n, true);
  tracker.observeAll();
  for (const [wi, t] of timelines) t.points.push([0, ctx.ready(ctx.workloads[wi]!)]);

  // Evictions, in order of toleration.
  const times = [...new Set(lost.map((p) => p.cls.evictionSeconds))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  for (const t of times) {
    // The taint-eviction controller deletes every pod whose toleration ran out: they stay
    // Terminating on the lost nodes. Then the controllers replace what they can.
    const evicted = lost.filter((p) => p.cls.evictionSeconds === t);
    for (const p of evicted) {
      const wl = ctx.workloads[p.workload]!;
      const tl = timelines.get(wl.index)!;
      tl.terminatingOn.add(state.names[p.node]!);
      if (wl.kind === 'StatefulSet')
        tl.held.push([ctx.podName(wl, p) ?? `a pod of ${wl.name}`, state.names[p.node]!]);
      ctx.terminatePod(wl, p);
    }
    // The replacements enter the scheduling queue together: higher priority first (PrioritySort).
    const queue = [...evicted].sort((a, b) => b.cls.priority - a.cls.priority);
    for (const p of queue) {
      const wl = ctx.workloads[p.workload]!;
      // A StatefulSet recreates a pod under the same name, which the Terminating pod still holds.
      if (!wl.replaceable || wl.kind === 'StatefulSet') continue;
      const m = ctx.schedule(ctx.newPod(wl));
      if (m) tracker.touch(wl).pendingMessages.add(m);
    }
    tracker.observeAll();
    for (const [wi, tl] of timelines) tl.points.push([t, ctx.ready(ctx.workloads[wi]!)]);
  }
  const scope = kind === 'zone-loss' ? 'zone' : 'node';
  const result: ScenarioResult = {
    id,
    kind,
    workloads: tracker.outcomes(kind, where, (o, v) =>
      explainLoss(ctx, o, v, timelines.get(o.wl.index)!, where, scope, kind),
    ),
  };
  return result;
}

/** What the operator must do so the pod GC force-deletes the Terminating pods on the lost nodes. */
function releaseAdvice(nodes: readonly string[]): string {
  const list = nodes.join(' ');
  const one = nodes.length === 1;
  return `${one ? 'the node is' : 'the nodes are'} deleted (kubectl delete node ${list}) or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`;
}

/** "web-1 stays Terminating on node-3: the StatefulSet cannot recreate it until …" */
function heldReason(held: readonly [string, string][]): string {
  const nodes = [...new Set(held.map(([, n]) => n))];
  const pods = held.map(([p]) => p).join(', ');
  const them = held.length === 1 ? 'it' : 'them';
  const verb = held.length === 1 ? 'stays' : 'stay';
  return `${pods} ${verb} Terminating on ${nodes.join(', ')}: the StatefulSet cannot recreate ${them} until ${releaseAdvice(nodes)}`;
}

/**
 * Replacements kept out by anti-affinity with the pods still Terminating on the lost nodes: only
 * terms wider than a node (a zone) close nodes besides the lost ones, which are tainted anyway.
 */
function antiAffinityNote(wl: SimWorkload, message: string, terminatingOn: readonly string[]): string {
  if (terminatingOn.length === 0) return '';
  if (!wl.spec.antiAffinity.some((t) => t.topologyKey !== HOSTNAME_LABEL)) return '';
  if (
    !message.includes("didn't match pod anti-affinity rules") &&
    !message.includes("didn't satisfy existing pods anti-affinity")
  )
    return '';
  return ` (the pods Terminating on ${terminatingOn.join(', ')} still count for anti-affinity until ${releaseAdvice(terminatingOn)})`;
}

function explainLoss(
  ctx: SimContext,
  o: Observation,
  verdict: string,
  tl: Timeline,
  where: string,
  scope: 'node' | 'zone',
  kind: ScenarioKind,
): string {
  const wl: SimWorkload = o.wl;
  const inWhere = scope === 'zone' ? `in ${where}` : `on ${where}`;
  const placed =
    tl.lost === tl.total
      ? tl.total === 1
        ? `the only replica was ${inWhere}`
        : `all ${tl.total} replicas were ${inWhere}`
      : `${tl.lost} of ${tl.total} replicas ${tl.lost === 1 ? 'was' : 'were'} ${inWhere}`;
  // How long the workload stayed at its lowest: until the first step that brought it back up.
  const threshold = verdict === 'outage' ? 1 : wl.floor;
  let until: number | undefined;
  for (const [t, r] of tl.points) {
    if (t > 0 && r >= threshold) {
      until = t;
      break;
    }
  }
  const duration =
    until !== undefined
      ? ` for ${until} s`
      : o.minReady < threshold && verdict !== 'ok' && verdict !== 'stuck'
        ? ` until the ${scope} comes back`
        : '';
  const pendingNote =
    o.pendingMessages.size > 0
      ? `; ${plural(ctx.pending(wl) - o.pendingBefore, 'replacement')} ${ctx.pending(wl) - o.pendingBefore === 1 ? 'stays' : 'stay'} Pending: ${[...o.pendingMessages][0]}`
      : '';
  const forever =
    until === undefined && Number.isFinite(wl.cls.evictionSeconds)
      ? ''
      : until === undefined
        ? ' (its pods tolerate the unreachable taint forever, so they are never replaced)'
        : '';
  const ready = `${o.minReady} of ${wl.desired} ready${duration}`;
  // A StatefulSet's pods held Terminating do not come back: the verdict still follows the ready
  // count (the replicas left may be enough), and the reason says what brings them back.
  const held = tl.held.length > 0 ? `; ${heldReason(tl.held)}` : '';
  if (verdict === 'ok') {
    if (held) return `${placed}; ${o.minReady} stayed ready${held}`;
    return Number.isFinite(wl.cls.evictionSeconds)
      ? `${placed}; ${o.minReady} stayed ready, replaced after ${wl.cls.evictionSeconds} s`
      : `${placed}; ${o.minReady} stayed ready (its pods tolerate the unreachable taint forever, so they are never replaced)`;
  }
  const terminating = [...tl.terminatingOn];
  if (verdict === 'stuck') {
    const msg = [...o.pendingMessages][0] ?? '';
    return `${o.minReady} of ${wl.desired} ready — ${placed}${pendingNote} — ${pendingAdvice(msg, wl, kind)}${antiAffinityNote(wl, msg, terminating)}`;
  }
  const floorNote = verdict === 'degraded' ? ` (floor ${wl.floor}: ${wl.floorSource})` : '';
  const msg = [...o.pendingMessages][0] ?? '';
  return `${ready}${floorNote}${forever} — ${placed}; ${spreadAdvice(wl, scope)}${pendingNote}${antiAffinityNote(wl, msg, terminating)}${held}`;
}
