/**
 * Unplanned loss of nodes (node-loss, zone-loss): the nodes become unreachable at once, so their pods
 * stop being ready; the node lifecycle controller taints them (unreachable: NoSchedule and NoExecute),
 * and the taint manager evicts each pod when its toleration runs out (300 s unless the pod says
 * otherwise). Only then do the controllers create replacements, which the scheduler places on what is
 * left — the lost nodes still exist and still count as topology domains.
 */
import type { SimPod } from '../cluster-state.js';
import type { SimContext, SimWorkload } from '../context.js';
import type { ScenarioKind, ScenarioResult } from '../types.js';
import { pendingAdvice, plural, spreadAdvice, Tracker, type Observation } from '../verdict.js';

interface Timeline {
  /** [seconds, ready] after each step. */
  points: [number, number][];
  lost: number;
  total: number;
}

export function runUnplannedLoss(
  ctx: SimContext,
  nodes: readonly number[],
  kind: ScenarioKind,
  id: string,
  where: string,
): ScenarioResult {
  const state = ctx.state;
  state.begin();
  const tracker = new Tracker(ctx);
  const lost: SimPod[] = [];
  for (const n of nodes) for (const p of state.podsOn[n]!) if (p.workload >= 0 && !p.gone) lost.push(p);
  lost.sort((a, b) => a.workload - b.workload || a.id - b.id);
  const timelines = new Map<number, Timeline>();
  for (const p of lost) {
    const wl = ctx.workloads[p.workload]!;
    tracker.touch(wl);
    let t = timelines.get(wl.index);
    if (!t) timelines.set(wl.index, (t = { points: [], lost: 0, total: ctx.ready(wl) }));
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
    // The taint manager evicts every pod whose toleration ran out; then the controllers replace them.
    const evicted = lost.filter((p) => p.cls.evictionSeconds === t);
    for (const p of evicted) ctx.removePod(ctx.workloads[p.workload]!, p);
    for (const p of evicted) {
      const wl = ctx.workloads[p.workload]!;
      if (!wl.replaceable) continue;
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
  state.rollback();
  return result;
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
  if (verdict === 'ok') {
    return `${placed}; ${o.minReady} stayed ready, replaced after ${wl.cls.evictionSeconds} s`;
  }
  if (verdict === 'stuck') {
    const msg = [...o.pendingMessages][0] ?? '';
    return `${o.minReady} of ${wl.desired} ready — ${placed}${pendingNote} — ${pendingAdvice(msg, wl, kind)}`;
  }
  const floorNote = verdict === 'degraded' ? ` (floor ${wl.floor}: ${wl.floorSource})` : '';
  return `${ready}${floorNote}${forever} — ${placed}; ${spreadAdvice(wl, scope)}${pendingNote}`;
}
