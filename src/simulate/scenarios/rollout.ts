/**
 * `rollout:<workload>`: a new revision rolled out the way the workload's controller does it.
 * Deployment / Argo Rollout: the Deployment controller's loop — scale the new ReplicaSet up to
 * replicas + maxSurge pods in total, scale the old one down while replicas - maxUnavailable stay
 * available, deleting Pending and most co-located old pods first. Recreate: all old pods go, then the
 * new ones start. StatefulSet: one ordinal at a time, highest first, each waiting for the last.
 */
import type { SimPod } from '../cluster-state.js';
import type { SimContext, SimWorkload } from '../context.js';
import { pendingAdvice, Tracker, type Observation } from '../verdict.js';
import type { Scenario } from './scenario.js';

interface RolloutNote {
  newReady: number;
  stuckAt: string | null;
}

function rollingUpdate(ctx: SimContext, wl: SimWorkload, tracker: Tracker): RolloutNote {
  const o = tracker.touch(wl);
  const state = ctx.state;
  const newCls = ctx.nextClass(wl);
  let old: SimPod[] = [...wl.pods];
  // The placement's counted Pending pods (context.ts placeMany) are old pods too, after all of `old`
  // (the highest ids); the new ReplicaSet's counted ones are new pods, Pending.
  let oldCounted = wl.unplaced;
  let freshCounted = 0;
  const fresh: SimPod[] = [];
  const addPending = (m: string): void => void o.pendingMessages.add(m);
  const { maxSurge, maxUnavailable } = wl.strategy;
  const desired = wl.desired;
  for (let iteration = 0; iteration < 4 * desired + 16; iteration++) {
    let changed = false;
    // Pending new pods are retried whenever something changed. They are all pods of the new class,
    // so which one is tried does not matter: a try that fails and leaves the cluster as it was is
    // what every later try would be.
    let stable = false;
    for (const p of fresh) {
      if (p.node >= 0) continue;
      const binds = state.binds;
      const freed = state.freedEpoch;
      const m = ctx.schedule(p);
      if (!m) changed = true;
      else {
        o.pendingMessages.add(m);
        if (state.binds === binds && state.freedEpoch === freed && !ctx.options.placeEveryPod) {
          stable = true;
          break;
        }
      }
    }
    while (!stable && freshCounted > 0) {
      const binds = state.binds;
      const freed = state.freedEpoch;
      const p = ctx.materializeUnplaced(wl, newCls);
      freshCounted--;
      fresh.push(p);
      const m = ctx.schedule(p);
      if (!m) changed = true;
      else {
        o.pendingMessages.add(m);
        stable = state.binds === binds && state.freedEpoch === freed;
      }
    }
    // Scale up the new ReplicaSet.
    const maxTotal = desired + maxSurge;
    const oldTotal = old.length + oldCounted;
    const freshTotal = fresh.length + freshCounted;
    const up = Math.min(maxTotal - (oldTotal + freshTotal), desired - freshTotal);
    if (up > 0) {
      const { made, counted } = ctx.placeMany(wl, newCls, up, addPending);
      fresh.push(...made);
      freshCounted += counted;
      changed = true;
    }
    tracker.observe(wl);
    // Scale down the old one.
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = fresh.filter((p) => !ctx.isReady(p)).length + freshCounted;
    const maxScaledDown =
      old.length + oldCounted + fresh.length + freshCounted - minAvailable - newUnavailable;
    if (maxScaledDown > 0 && old.length + oldCounted > 0) {
      // Pending pods go first, the newest first: the counted ones are the newest.
      const countedDown = Math.min(maxScaledDown, oldCounted);
      ctx.removeUnplaced(wl, countedDown);
      oldCounted -= countedDown;
      const perNode = new Map<number, number>();
      for (const p of old) if (p.node >= 0) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
      const ranked = [...old].sort((a, b) => {
        const ar = a.node < 0 ? 0 : 1;
        const br = b.node < 0 ? 0 : 1;
        if (ar !== br) return ar - br;
        const ac = perNode.get(a.node) ?? 0;
        const bc = perNode.get(b.node) ?? 0;
        if (ac !== bc) return bc - ac;
        return b.id - a.id;
      });
      const down = ranked.slice(0, Math.min(maxScaledDown - countedDown, old.length));
      for (const p of down) ctx.removePod(wl, p);
      const downSet = new Set(down);
      old = old.filter((p) => !downSet.has(p));
      changed = true;
      tracker.observe(wl);
    }
    const newReady = fresh.filter((p) => ctx.isReady(p)).length;
    if (old.length + oldCounted === 0 && newReady === desired) return { newReady, stuckAt: null };
    if (!changed) {
      o.stuck = `rollout stuck at ${newReady} of ${desired} new pods`;
      return { newReady, stuckAt: o.stuck };
    }
  }
  void state;
  const newReady = fresh.filter((p) => ctx.isReady(p)).length;
  o.stuck = `rollout stuck at ${newReady} of ${desired} new pods`;
  return { newReady, stuckAt: o.stuck };
}

function recreate(ctx: SimContext, wl: SimWorkload, tracker: Tracker): RolloutNote {
  const o = tracker.touch(wl);
  for (const p of [...wl.pods]) ctx.removePod(wl, p);
  ctx.removeUnplaced(wl, wl.unplaced);
  tracker.observe(wl);
  const newCls = ctx.nextClass(wl);
  ctx.placeMany(wl, newCls, wl.desired, (m) => void o.pendingMessages.add(m));
  tracker.observe(wl);
  const newReady = ctx.ready(wl);
  if (newReady < wl.desired) o.stuck = `only ${newReady} of ${wl.desired} new pods could be placed`;
  return { newReady, stuckAt: o.stuck };
}

function statefulSetUpdate(ctx: SimContext, wl: SimWorkload, tracker: Tracker): RolloutNote {
  const o = tracker.touch(wl);
  const newCls = ctx.nextClass(wl);
  const pods = [...wl.pods].sort((a, b) => b.id - a.id); // highest ordinal first
  // The placement's counted Pending pods have the highest ordinals: they go first.
  const counted = wl.unplaced;
  const step = Math.max(1, wl.strategy.maxUnavailable);
  let done = 0;
  for (let i = 0; i < counted + pods.length; i += step) {
    const countedInBatch = Math.max(0, Math.min(i + step, counted) - i);
    const batch = pods.slice(Math.max(0, i - counted), Math.max(0, i + step - counted));
    ctx.removeUnplaced(wl, countedInBatch);
    for (const p of batch) ctx.removePod(wl, p);
    tracker.observe(wl);
    let failed = false;
    const { made } = ctx.placeMany(wl, newCls, countedInBatch + batch.length, (m) => {
      o.pendingMessages.add(m);
      failed = true;
    });
    for (const p of made) if (p.node >= 0) done++;
    tracker.observe(wl);
    if (failed) {
      o.stuck = `rollout stuck at ${done} of ${wl.desired} updated pods: the StatefulSet waits for each pod to be Ready`;
      return { newReady: done, stuckAt: o.stuck };
    }
  }
  return { newReady: done, stuckAt: null };
}

function explainRollout(ctx: SimContext, o: Observation, verdict: string, note: RolloutNote): string {
  const wl = o.wl;
  const s = wl.strategy;
  const msg = [...o.pendingMessages][0];
  if (s.type === 'Recreate') {
    return verdict === 'outage'
      ? `0 of ${wl.desired} ready until the new pods start — Recreate takes all ${wl.desired} replicas down first; use strategy RollingUpdate with maxUnavailable: 1`
      : `Recreate: ${note.newReady} of ${wl.desired} new pods placed${msg ? `; ${msg}` : ''}`;
  }
  if (verdict === 'outage') {
    if (wl.kind === 'StatefulSet')
      return `0 of ${wl.desired} ready during the rollout — a StatefulSet replaces each pod in place (${s.describe}); ${wl.desired === 1 ? 'run 2 or more replicas' : 'lower maxUnavailable'}`;
    return `0 of ${wl.desired} ready during the rollout — ${s.describe} lets every old pod go before new ones are Ready; set maxUnavailable: 1 (or 25%)`;
  }
  if (verdict === 'stuck') {
    return `${note.stuckAt ?? 'rollout stuck'}${msg ? ` — the new pods stay Pending: ${msg}` : ''} — ${pendingAdvice(msg ?? '', wl, 'rollout')}`;
  }
  if (verdict === 'degraded') {
    // A StatefulSet has no surge and deletes its pods without asking the PDB.
    const advice =
      wl.kind !== 'StatefulSet'
        ? 'lower maxUnavailable or raise maxSurge'
        : s.maxUnavailable > 1
          ? 'lower maxUnavailable'
          : `a StatefulSet's update does not ask the PDB: run more than ${wl.floor} replicas, or let the floor allow one pod down`;
    return `${o.minReady} of ${wl.desired} ready at the lowest (floor ${wl.floor}: ${wl.floorSource}) — ${s.describe}; ${advice}`;
  }
  return `rolled ${wl.desired} pods (${s.describe}); never below ${o.minReady} ready`;
}

/** `rollout:<workload id>` for every workload with a rollout strategy. */
export const rollout: Scenario<SimWorkload> = {
  kind: 'rollout',
  instances: (ctx) => ctx.workloads.filter((wl) => wl.strategy.type !== 'None').map((wl) => ({ value: wl })),
  run: (ctx, wl) => {
    const s = wl.strategy;
    const id = `rollout:${wl.id}`;
    if (s.type === 'OnDelete') {
      return {
        id,
        kind: 'rollout',
        workloads: [
          {
            workload: wl.id,
            verdict: 'ok',
            desired: wl.desired,
            floor: wl.floor,
            minReady: ctx.ready(wl),
            readyAfter: ctx.ready(wl),
            pendingAfter: ctx.pending(wl),
            blockedBy: null,
            reason: 'updateStrategy OnDelete: pods change only when you delete them, one at a time',
          },
        ],
      };
    }
    const tracker = new Tracker(ctx);
    const note =
      s.type === 'Recreate'
        ? recreate(ctx, wl, tracker)
        : wl.kind === 'StatefulSet'
          ? statefulSetUpdate(ctx, wl, tracker)
          : rollingUpdate(ctx, wl, tracker);
    return {
      id,
      kind: 'rollout',
      workloads: tracker.outcomes('rollout', wl.id, (o, v) => explainRollout(ctx, o, v, note)),
    };
  },
};
