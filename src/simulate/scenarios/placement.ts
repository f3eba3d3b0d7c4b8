/** The initial placement: every workload's pods scheduled in input order; what stays Pending, and why. */
import type { SimContext } from '../context.js';
import type { PlacementResult, ScenarioResult } from '../types.js';
import { pendingAdvice, preemptedNote, preemptionAdvice, verdictOf } from '../verdict.js';

export function placementResults(ctx: SimContext): PlacementResult[] {
  const state = ctx.state;
  const zoneOrder = new Map<string, number>();
  const nodeOrder = new Map<string, number>();
  for (const n of state.order) {
    if (!zoneOrder.has(state.zoneOf(n))) zoneOrder.set(state.zoneOf(n), zoneOrder.size);
    nodeOrder.set(state.names[n]!, n);
  }
  const sorted = (r: Record<string, number>, by: Map<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(r).sort((a, b) => (by.get(a[0]) ?? 0) - (by.get(b[0]) ?? 0)));
  return ctx.workloads.map((wl) => {
    const byZone: Record<string, number> = {};
    const byNode: Record<string, number> = {};
    let scheduled = 0;
    let pending = 0;
    for (const p of wl.pods) {
      if (p.node < 0) {
        pending++;
        continue;
      }
      scheduled++;
      const z = state.zoneOf(p.node);
      byZone[z] = (byZone[z] ?? 0) + 1;
      const name = state.names[p.node]!;
      byNode[name] = (byNode[name] ?? 0) + 1;
    }
    return {
      workload: wl.id,
      desired: wl.desired,
      scheduled,
      // A live workload's Pending pods are the ones the cluster has (a scale in progress has fewer).
      pending: wl.live ? pending : wl.desired - scheduled,
      byZone: sorted(byZone, zoneOrder),
      byNode: sorted(byNode, nodeOrder),
      pendingReasons: wl.pendingMessages,
    };
  });
}

export function placementScenario(ctx: SimContext, placement: readonly PlacementResult[]): ScenarioResult {
  return {
    id: 'placement',
    kind: 'placement',
    workloads: ctx.workloads.map((wl, i) => {
      const p = placement[i]!;
      const ready = ctx.ready(wl);
      const verdict = verdictOf({
        desired: wl.desired,
        floor: wl.floor,
        minReady: ready,
        stuck: p.pending > 0,
      });
      const nodes = Object.keys(p.byNode).length;
      const zones = Object.keys(p.byZone).length;
      const where = `${nodes} node${nodes === 1 ? '' : 's'} in ${zones} zone${zones === 1 ? '' : 's'}`;
      const msg = p.pendingReasons[0] ?? '';
      const verb = wl.live ? 'running' : 'scheduled';
      const scaling =
        wl.live && p.scheduled + p.pending !== wl.desired
          ? ` (${p.scheduled + p.pending} pods for ${wl.desired} replicas: a scale in progress)`
          : '';
      const scheduled =
        p.pending === 0
          ? `${p.scheduled} of ${wl.desired} ${verb} on ${where}${scaling}`
          : `${p.scheduled} of ${wl.desired} ${verb}${scaling}, ${p.pending} Pending: ${msg} — ${pendingAdvice(msg, wl, 'placement')}`;
      const preempted = ctx.placementPreemptions.filter((e) => e.victim === wl);
      const note = preempted.length > 0 ? `${preemptedNote(preempted)} — ${preemptionAdvice(wl)}` : '';
      const reason =
        wl.neverReady === undefined
          ? scheduled + note
          : `0 of ${wl.desired} ready — ${wl.neverReady}; ${scheduled}`;
      return {
        workload: wl.id,
        verdict,
        desired: wl.desired,
        floor: wl.floor,
        minReady: ready,
        readyAfter: ready,
        pendingAfter: p.pending,
        blockedBy: null,
        reason,
      };
    }),
  };
}
