/**
 * Planned maintenance (`kubectl drain`): cordon, then evict through the eviction API. Pods no PDB
 * protects go at once; a PDB lets through as many evictions as its disruptionsAllowed, and the next
 * one waits until a replacement is Ready elsewhere. The drain is blocked when nothing can be evicted:
 * a PDB that allows no disruption, a replacement that stays Pending, or a pod two PDBs select.
 */
import type { SimPod } from '../cluster-state.js';
import type { PdbInfo, SimContext, SimWorkload } from '../context.js';
import type { Scenario } from './scenario.js';
import { pendingAdvice, plural, spreadAdvice, Tracker, type Observation } from '../verdict.js';

export interface DrainResult {
  blocked: boolean;
  evicted: number;
}

/**
 * "; 1 of its pods is Pending: 0/5 nodes are available: …", or '': the pods of a PDB's workloads that
 * are not healthy (Pending, or bound and not Ready), which is why a budget allows nothing while the
 * replicas it was written for would allow one.
 */
function unhealthyNote(ctx: SimContext, pdb: PdbInfo): string {
  let pending = 0;
  let unready = 0;
  let message: string | undefined;
  for (const wi of pdb.workloads) {
    const wl = ctx.workloads[wi]!;
    if (wl.unplaced > 0) {
      pending += wl.unplaced;
      message ??= wl.pendingMessages[0];
    }
    for (const p of wl.pods) {
      if (p.node < 0) {
        pending++;
        message ??= wl.pendingMessages[0];
      } else if (!ctx.isReady(p)) unready++;
    }
  }
  const parts: string[] = [];
  if (pending > 0)
    parts.push(
      `${pending} of its pods ${pending === 1 ? 'is' : 'are'} Pending${message !== undefined ? ` (${message})` : ''}`,
    );
  if (unready > 0) parts.push(`${unready} ${unready === 1 ? 'is' : 'are'} not Ready`);
  return parts.length
    ? `; ${parts.join(', ')}, so ${pending + unready === 1 ? 'it does' : 'they do'} not count as healthy`
    : '';
}

function describePdb(ctx: SimContext, pdb: PdbInfo): string {
  const a = ctx.disruptionBudget(pdb);
  const min = pdb.minAvailable !== undefined && pdb.minAvailable !== null;
  const max = pdb.maxUnavailable !== undefined && pdb.maxUnavailable !== null;
  if (!min && !max)
    return `PDB ${pdb.object.name} allows 0 disruptions (it sets neither minAvailable nor maxUnavailable, so it expects no pods)`;
  if (a.healthy > a.desiredHealthy && !pdb.live)
    return `PDB ${pdb.object.name} allows 0 disruptions (${max ? 'maxUnavailable' : 'a percentage minAvailable'} counts the pods' controllers, and bare Pods have none: use an integer minAvailable)`;
  const rule = min
    ? `minAvailable ${String(pdb.minAvailable)}`
    : `maxUnavailable ${String(pdb.maxUnavailable)}`;
  const status = a.fromStatus ? ', as its status says' : '';
  return `PDB ${pdb.object.name} allows 0 disruptions (${a.healthy} healthy, ${rule} needs ${a.desiredHealthy}${status}${unhealthyNote(ctx, pdb)})`;
}

/** Cordons and drains one node; evictions and replacements are recorded in `tracker`. */
export function drainNode(ctx: SimContext, tracker: Tracker, n: number): DrainResult {
  const state = ctx.state;
  state.setUnschedulable(n, true);
  let remaining: SimPod[] = [...state.podsOn[n]!]
    .filter((p) => p.workload >= 0 && !p.gone)
    .sort((a, b) => a.id - b.id);
  for (const p of remaining) tracker.touch(ctx.workloads[p.workload]!);
  let evicted = 0;
  while (remaining.length > 0) {
    const now: SimPod[] = [];
    const used = new Map<PdbInfo, number>();
    const blocked: { pod: SimPod; why: string; pdb: PdbInfo | null }[] = [];
    for (const pod of remaining) {
      const wl = ctx.workloads[pod.workload]!;
      if (wl.pdbs.length > 1) {
        blocked.push({
          pod,
          pdb: wl.pdbs[0]!,
          why: `its pods are selected by ${wl.pdbs.length} PDBs (${wl.pdbs.map((p) => p.object.name).join(', ')}), and the eviction API refuses such pods`,
        });
        continue;
      }
      const pdb = wl.pdbs[0];
      if (!pdb) {
        now.push(pod);
        continue;
      }
      const budget = ctx.disruptionBudget(pdb);
      // The Eviction API lets a pod that is not Ready go without using the budget when the PDB's
      // policy is AlwaysAllow, or (IfHealthyBudget, the default) when the budget is met.
      if (
        !ctx.isReady(pod) &&
        (pdb.unhealthyPolicy === 'AlwaysAllow' ||
          (budget.desiredHealthy > 0 && budget.healthy >= budget.desiredHealthy))
      ) {
        now.push(pod);
        continue;
      }
      const allowed = budget.allowed - (used.get(pdb) ?? 0);
      if (allowed > 0) {
        now.push(pod);
        used.set(pdb, (used.get(pdb) ?? 0) + 1);
      } else blocked.push({ pod, pdb, why: describePdb(ctx, pdb) });
    }
    if (now.length === 0) {
      for (const b of blocked) {
        const o = tracker.touch(ctx.workloads[b.pod.workload]!);
        if (o.blockedBy === null) {
          o.blockedBy = b.pdb ? b.pdb.id : null;
          o.blockedReason = b.why;
          if (o.blockedBy === null) o.stuck = b.why;
        }
      }
      return { blocked: true, evicted };
    }
    const affected = new Set<SimWorkload>();
    for (const pod of now) {
      const wl = ctx.workloads[pod.workload]!;
      ctx.removePod(wl, pod);
      affected.add(wl);
      evicted++;
    }
    for (const wl of affected) tracker.observe(wl);
    for (const pod of now) {
      const wl = ctx.workloads[pod.workload]!;
      const o = tracker.touch(wl);
      if (!wl.replaceable) {
        o.facts.push('a bare Pod is deleted by the drain (kubectl drain --force) and nothing recreates it');
        continue;
      }
      const m = ctx.schedule(ctx.newPod(wl));
      if (m) o.pendingMessages.add(m);
    }
    for (const wl of affected) tracker.observe(wl);
    const gone = new Set(now);
    remaining = remaining.filter((p) => !gone.has(p));
  }
  return { blocked: false, evicted };
}

export function explainDrain(
  ctx: SimContext,
  o: Observation,
  verdict: string,
  where: string,
  onNode: Map<number, number>,
): string {
  const wl = o.wl;
  const count = onNode.get(wl.index) ?? 0;
  const placed =
    count === wl.desired
      ? wl.desired === 1
        ? `the only replica was on ${where}`
        : `all ${wl.desired} replicas were on ${where}`
      : `${count} of ${wl.desired} replicas ${count === 1 ? 'was' : 'were'} on ${where}`;
  if (o.blockedReason) {
    const fix =
      o.blockedBy !== null && o.blockedReason.includes('allows 0 disruptions')
        ? o.pendingMessages.size > 0 || ctx.pending(wl) > o.pendingBefore
          ? `; the replacement stays Pending: ${[...o.pendingMessages][0] ?? ''} — ${pendingAdvice([...o.pendingMessages][0] ?? '', wl, 'drain')}`
          : wl.floor >= wl.desired
            ? `; allow one disruption: minAvailable below ${wl.desired}, or maxUnavailable: 1`
            : '; the budget recovers only when the evicted replicas are Ready elsewhere'
        : '; keep one PDB per workload';
    return `drain blocked — ${o.blockedReason}${fix}`;
  }
  const ready = `${o.minReady} of ${wl.desired} ready`;
  if (verdict === 'stuck') {
    const msg = [...o.pendingMessages][0] ?? '';
    return `${ready} — ${placed}; ${plural(ctx.pending(wl) - o.pendingBefore, 'replacement')} stays Pending: ${msg} — ${pendingAdvice(msg, wl, 'drain')}`;
  }
  if (verdict === 'ok') {
    const how = wl.pdbs.length ? `evicted through PDB ${wl.pdbs[0]!.object.name}` : 'evicted';
    return `${placed}, ${how}; never below ${o.minReady} ready`;
  }
  const facts = o.facts.length ? `; ${o.facts[0]}` : '';
  const why =
    wl.pdbs.length === 0
      ? `no PDB holds the evictions back, so they went at once; add a PDB (maxUnavailable: 1) and ${spreadAdvice(wl, 'node').replace(/^add /, '')}`
      : spreadAdvice(wl, 'node');
  return `${ready} until the replacements are Ready${verdict === 'degraded' ? ` (floor ${wl.floor}: ${wl.floorSource})` : ''} — ${placed}${facts}; ${why}`;
}

/** `drain:<node>` for every node (or the ones named). */
export const drain: Scenario<number> = {
  kind: 'drain',
  instances: (ctx) => ctx.state.order.map((n) => ({ name: ctx.state.names[n]!, value: n })),
  run: (ctx, n) => {
    const state = ctx.state;
    const name = state.names[n]!;
    const onNode = new Map<number, number>();
    for (const p of state.podsOn[n]!)
      if (p.workload >= 0) onNode.set(p.workload, (onNode.get(p.workload) ?? 0) + 1);
    const tracker = new Tracker(ctx);
    drainNode(ctx, tracker, n);
    return {
      id: `drain:${name}`,
      kind: 'drain',
      workloads: tracker.outcomes('drain', name, (o, v) => explainDrain(ctx, o, v, name, onNode)),
    };
  },
};
