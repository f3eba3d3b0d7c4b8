/**
 * Agreement between what the real control plane did and what the simulator predicted. Placement is
 * compared per node or per zone, as the case says; Pending counts always; for a drain, the evictions
 * each workload's first pass let through and refused, the Pending pods after it, and whether it was
 * blocked; after a loss or a rollout, each workload's verdict, floor, lowest ready count, and ready and
 * Pending counts once it settled.
 */
import type { FidelityCase } from './case.js';
import type { Observation, WorkloadEvictions, WorkloadOutcome, WorkloadPlacement } from './observation.js';

/** `node-loss:f60-a`, `zone-loss:f61-b`, `rollout:Deployment/web`. */
export function failureName(c: FidelityCase): string {
  const f = c.failure!;
  return f.kind === 'node-loss'
    ? `node-loss:${f.node}`
    : f.kind === 'zone-loss'
      ? `zone-loss:${f.zone}`
      : `rollout:${f.workload}`;
}

export interface Agreement {
  agree: boolean;
  /** One line per difference: `Deployment/web byNode: real {…}, predicted {…}`. */
  differences: string[];
}

const show = (v: unknown): string => JSON.stringify(v ?? null);

function same(a: unknown, b: unknown): boolean {
  return show(a) === show(b);
}

export function compare(c: FidelityCase, real: Observation, predicted: Observation): Agreement {
  const differences: string[] = [];
  const diff = (what: string, r: unknown, p: unknown): void => {
    if (!same(r, p)) differences.push(`${what}: real ${show(r)}, predicted ${show(p)}`);
  };
  const byId = (list: WorkloadPlacement[]): Map<string, WorkloadPlacement> =>
    new Map(list.map((w) => [w.workload, w]));
  const r = byId(real.placement);
  const p = byId(predicted.placement);
  for (const id of new Set([...r.keys(), ...p.keys()])) {
    const a = r.get(id);
    const b = p.get(id);
    if (!a || !b) {
      differences.push(`${id}: ${a ? 'not simulated' : 'not seen on the cluster'}`);
      continue;
    }
    diff(`${id} scheduled`, a.scheduled, b.scheduled);
    diff(`${id} pending`, a.pending, b.pending);
    if (c.level === 'node') diff(`${id} byNode`, a.byNode, b.byNode);
    diff(`${id} byZone`, a.byZone, b.byZone);
  }
  if (c.drain) {
    const rd = real.drain;
    const pd = predicted.drain;
    if (!rd || !pd) differences.push(`drain ${c.drain}: ${rd ? 'not simulated' : 'not run on the cluster'}`);
    else {
      diff(`drain ${c.drain} blocked`, rd.blocked, pd.blocked);
      const ev = (list: WorkloadEvictions[]): Map<string, WorkloadEvictions> =>
        new Map(list.map((w) => [w.workload, w]));
      const re = ev(rd.workloads);
      const pe = ev(pd.workloads);
      for (const id of new Set([...re.keys(), ...pe.keys()])) {
        const a = re.get(id);
        const b = pe.get(id);
        const pick = (w: WorkloadEvictions | undefined): unknown =>
          w &&
          (c.firstPass
            ? { onNode: w.onNode, allowed: w.allowed, refused: w.refused, pendingAfter: w.pendingAfter }
            : { onNode: w.onNode, pendingAfter: w.pendingAfter });
        diff(`${id} evictions`, pick(a), pick(b));
      }
    }
  }
  if (c.failure) {
    const ro = new Map((real.outcomes ?? []).map((o) => [o.workload, o]));
    const po = new Map((predicted.outcomes ?? []).map((o) => [o.workload, o]));
    for (const id of new Set([...ro.keys(), ...po.keys()])) {
      const pick = (o: WorkloadOutcome | undefined): unknown =>
        o && {
          verdict: o.verdict,
          floor: o.floor,
          minReady: o.minReady,
          readyAfter: o.readyAfter,
          pendingAfter: o.pendingAfter,
        };
      diff(`${id} after ${failureName(c)}`, pick(ro.get(id)), pick(po.get(id)));
    }
  }
  return { agree: differences.length === 0, differences };
}
