/**
 * `upgrade`: every node replaced in turn, as an EKS managed node group upgrade does — a new node with
 * the same labels joins, the old one is cordoned, drained through the PDBs and removed. With
 * `in-place`, each node is drained and then returned (uncordoned) instead: pods do not move back, so
 * replicas pile up on the nodes drained last.
 */
import type { SimContext } from '../context.js';
import { HOSTNAME_LABEL, type NodeSpec, type ScenarioResult } from '../types.js';
import { pendingAdvice, plural, spreadAdvice, Tracker } from '../verdict.js';
import { drainNode } from './drain.js';
import type { Scenario } from './scenario.js';

/** One `upgrade` of the whole cluster, in the mode the options ask for. */
export const upgradeScenario: Scenario<'replace' | 'in-place'> = {
  kind: 'upgrade',
  instances: (ctx) => [{ value: ctx.options.upgradeMode ?? 'replace' }],
  run: upgrade,
};

function upgrade(ctx: SimContext, mode: 'replace' | 'in-place'): ScenarioResult {
  const state = ctx.state;
  const tracker = new Tracker(ctx);
  const originals = [...state.order];
  let stoppedAt: string | null = null;
  let blockedNode = '';
  for (const n of originals) {
    const name = state.names[n]!;
    if (mode === 'replace') {
      let newName = `${name}-upgraded`;
      for (let i = 2; state.nodeIndex.has(newName); i++) newName = `${name}-upgraded-${i}`;
      const spec: NodeSpec = {
        name: newName,
        labels: { ...state.labels[n]!, [HOSTNAME_LABEL]: newName },
        taints: state.taints[n]!,
        cpu: state.allocCpu[n]!,
        memory: state.allocMemory[n]!,
        pods: state.allocPods[n]!,
      };
      const m = state.addNode(spec);
      for (const cls of ctx.daemonClasses) ctx.placeDaemon(cls, m);
    }
    const r = drainNode(ctx, tracker, n);
    if (r.blocked) {
      stoppedAt = name;
      blockedNode = name;
      break;
    }
    if (mode === 'replace') {
      for (const p of [...state.podsOn[n]!]) state.deletePod(p);
      state.setExists(n, false);
    } else state.setUnschedulable(n, false);
  }
  const result: ScenarioResult = {
    id: 'upgrade',
    kind: 'upgrade',
    workloads: tracker.outcomes('upgrade', 'upgrade', (o, v) => {
      const wl = o.wl;
      const how = mode === 'replace' ? 'node-by-node replacement' : 'in-place drain of every node';
      if (o.blockedReason) {
        return `upgrade stops at ${blockedNode}: drain blocked — ${o.blockedReason}`;
      }
      const msg = [...o.pendingMessages][0];
      if (v === 'stuck') {
        return `${plural(ctx.pending(wl) - o.pendingBefore, 'pod')} left Pending during the ${how}: ${msg ?? ''} — ${pendingAdvice(msg ?? '', wl, 'upgrade')}`;
      }
      if (v === 'ok') return `${how}: never below ${o.minReady} of ${wl.desired} ready`;
      const pdb = wl.pdbs.length
        ? spreadAdvice(wl, 'node')
        : `no PDB holds evictions back when replicas share a node; add a PDB (maxUnavailable: 1)`;
      return `${o.minReady} of ${wl.desired} ready at the lowest during the ${how}${v === 'degraded' ? ` (floor ${wl.floor}: ${wl.floorSource})` : ''} — ${pdb}`;
    }),
  };
  void stoppedAt;
  return result;
}
