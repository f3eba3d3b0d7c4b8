/**
 * One scheduling cycle of kube-scheduler's default profile over the simulated cluster:
 * PreFilter (spread and affinity state from the incremental counters), Filter in the profile's plugin
 * order until percentageOfNodesToScore feasible nodes are found (starting where the previous cycle
 * stopped, over nodes in NodeTree order), Score with the default weights, NormalizeScore, and
 * selectHost with seeded reservoir sampling among the best nodes.
 */
import type { ClusterState, PodClass, Prepared, PreparedSpread } from '../cluster-state.js';
import { UNREACHABLE_NOSCHEDULE } from '../cluster-state.js';
import {
  REASON_AFFINITY,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
  normalizeInterPodAffinityScores,
} from './inter-pod-affinity.js';
import { REASON_NODE_AFFINITY, normalizeNodeAffinityScores } from './node-affinity.js';
import { REASON_NODE_NAME } from './node-name.js';
import { portsConflict, REASON_NODE_PORTS } from './node-ports.js';
import {
  REASON_INSUFFICIENT_CPU,
  REASON_INSUFFICIENT_MEMORY,
  REASON_TOO_MANY_PODS,
} from './node-resources-fit.js';
import { REASON_UNSCHEDULABLE } from './node-unschedulable.js';
import {
  normalizeSpreadScores,
  REASON_SPREAD,
  REASON_SPREAD_MISSING_LABEL,
  topologyNormalizingWeight,
} from './pod-topology-spread.js';
import { normalizeTaintScores, taintReason } from './taint-toleration.js';

/** The default profile's score plugin weights (pkg/scheduler/apis/config/v1/default_plugins.go). */
export const WEIGHTS = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesBalancedAllocation: 1,
} as const;

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes the scheduler looks for before it stops filtering (adaptive when percentage is 0). */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
      percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

/** FitError.Error(): "0/N nodes are available: <count> <reason>, … ." with reasons sorted as strings. */
export function fitErrorMessage(numAllNodes: number, reasons: ReadonlyMap<string, number>): string {
  const parts = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`;
}

export type ScheduleResult = { node: number } | { node: -1; message: string; reasons: Map<string, number> };

export interface SchedulerOptions {
  percentageOfNodesToScore: number;
  worstCase: boolean;
}

interface SpreadState {
  c: PreparedSpread;
  /** Matching pods per domain (value index), or per node for per-node keys. */
  counts: Int32Array;
  perNode: boolean;
  min: number;
}

/** Scratch buffers reused across cycles. */
class Buffers {
  feasible = new Int32Array(0);
  a = new Float64Array(0);
  b = new Float64Array(0);
  total = new Float64Array(0);
  ignored = new Uint8Array(0);
  private mark = new Int32Array(0);
  softCounts: Int32Array[] = [];
  stamp = 0;
  /** A marker array of at least n slots; a slot is marked when it equals `stamp` (fresh each call). */
  marks(n: number): Int32Array {
    if (this.mark.length < n) this.mark = new Int32Array(Math.max(n, this.mark.length * 2));
    this.stamp++;
    return this.mark;
  }
  ensure(n: number): void {
    if (this.feasible.length >= n) return;
    this.feasible = new Int32Array(n);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.total = new Float64Array(n);
    this.ignored = new Uint8Array(n);
  }
}

const buffers = new Buffers();

/** Whether a node counts for a spread constraint under its inclusion policies (and has every key). */
function includedForSpread(
  state: ClusterState,
  cls: PodClass,
  n: number,
  c: PreparedSpread,
  keys: readonly number[],
): boolean {
  for (const k of keys) if (state.domainOf[k]![n]! < 0) return false;
  const fails = cls.cache.fails[n]!;
  if (c.honorAffinity && fails & 4) return false;
  if (c.honorTaints) {
    if (fails & 2) return false;
    if (state.unreachable[n] && !cls.tolUnreachable) return false;
    if (state.unschedulable[n] && !cls.tolUnschedulable) return false;
  }
  return true;
}

/** Per-domain matching counts over the nodes a constraint includes, and the global minimum. */
/** Whether the counters' own per-domain counts are the counts a constraint sees (no policy narrows the nodes). */
function isFast(state: ClusterState, cls: PodClass, c: PreparedSpread, keys: readonly number[]): boolean {
  if (c.honorAffinity && cls.hasRequiredNodeAffinity) return false;
  if (c.honorTaints) return false;
  for (const kk of keys) if (state.missingKey[kk] !== 0) return false;
  return true;
}

function spreadState(
  state: ClusterState,
  cls: PodClass,
  c: PreparedSpread,
  keys: readonly number[],
  withMin: boolean,
): SpreadState {
  const k = c.key;
  const perNode = state.perNodeKey[k]!;
  if (isFast(state, cls, c, keys)) {
    let min = 0;
    if (withMin) {
      if (perNode) {
        const hist = c.counter.hist;
        let nodes = 0;
        min = -1;
        if (hist) {
          for (let v = 0; v < hist.length; v++) {
            nodes += hist[v]!;
            if (min < 0 && hist[v]! > 0) min = v;
          }
        }
        if (min < 0 || nodes < c.minDomains) min = 0;
      } else {
        const counts = c.counter.perDomain[k]!;
        const inDomain = state.nodesInDomain[k]!;
        let domains = 0;
        min = Infinity;
        for (let d = 0; d < inDomain.length; d++) {
          if (inDomain[d]! <= 0) continue;
          domains++;
          if (counts[d]! < min) min = counts[d]!;
        }
        if (domains < c.minDomains || domains === 0) min = 0;
      }
    }
    return { c, counts: perNode ? c.counter.perNode : c.counter.perDomain[k]!, perNode, min };
  }
  // Slow path: sum the nodes the policies include.
  const size = perNode ? state.capacity : Math.max(1, state.domainValues[k]!.length);
  const counts = new Int32Array(size);
  const present = new Uint8Array(size);
  for (const n of state.order) {
    if (!includedForSpread(state, cls, n, c, keys)) continue;
    const d = state.domainOf[k]![n]!;
    counts[d]! += c.counter.perNode[n]!;
    present[d] = 1;
  }
  let min = Infinity;
  let domains = 0;
  for (let d = 0; d < size; d++) {
    if (!present[d]) continue;
    domains++;
    if (counts[d]! < min) min = counts[d]!;
  }
  if (domains < c.minDomains || domains === 0) min = 0;
  return { c, counts, perNode, min };
}

const NO_SPREAD: SpreadState[] = [];
const EMPTY = new Int32Array(0);

/** The class's filter arrays (domains per node, counts per domain), rebuilt when counters change. */
function prepare(state: ClusterState, cls: PodClass): Prepared {
  const p = cls.prep;
  if (p && p.epoch === state.epoch && p.holderVersion === cls.existingVersion) return p;
  const domainOf = state.domainOf;
  const dom = (ts: readonly { key: number }[]): Int32Array[] => ts.map((t) => domainOf[t.key]!);
  const counts = (
    ts: readonly { counter: { perDomain: (Int32Array | undefined)[] }; key: number }[],
  ): Int32Array[] => ts.map((t) => t.counter.perDomain[t.key]!);
  cls.prep = {
    epoch: state.epoch,
    holderVersion: cls.existingVersion,
    hardKeys: cls.hardSpread.map((c) => c.key),
    hsCounts: cls.hardSpread.map(() => EMPTY),
    hsLimit: cls.hardSpread.map(() => 0),
    softKeys: cls.softSpread.map((c) => c.key),
    softDoms: dom(cls.softSpread),
    softAdds: cls.softSpread.map((c) => c.maxSkew - 1),
    softCounts: cls.softSpread.map((c) => {
      const keys = cls.systemDefaulted ? [c.key] : cls.softSpread.map((x) => x.key);
      return isFast(state, cls, c, keys) ? spreadState(state, cls, c, keys, false).counts : undefined;
    }),
    softWeights: new Float64Array(cls.softSpread.length),
    ipaDom: dom([...cls.preferred, ...cls.existingPreferred]),
    ipaCounts: counts([...cls.preferred, ...cls.existingPreferred]),
    ipaW: [...cls.preferred, ...cls.existingPreferred].map((t) => t.weight),
    hardKeyDom: dom(cls.hardSpread),
    hsDom: dom(cls.hardSpread),
    exDom: dom(cls.existingAnti),
    exCounts: counts(cls.existingAnti),
    afDom: dom(cls.reqAffinity),
    afCounts: counts(cls.reqAffinity),
    anDom: dom(cls.reqAnti),
    anCounts: counts(cls.reqAnti),
  };
  return cls.prep;
}

/** Runs one scheduling cycle for a pod of `cls`; binds nothing. */
export function scheduleOne(state: ClusterState, cls: PodClass, opts: SchedulerOptions): ScheduleResult {
  const order = state.order;
  const N = order.length;
  const cache = state.ensureStatic(cls);
  state.refreshExisting(cls);
  buffers.ensure(N + 1);
  // A pod that fitted nowhere still fits nowhere while nothing was freed (no unbind, no node change)
  // and no pod joined the counts its spread or affinity rules depend on: binding pods only uses up
  // resources and adds anti-affinity matches. A failed cycle visits every node, so the next start
  // index is unchanged too.
  let dependent = 0;
  for (const c of cls.hardSpread) dependent += c.counter.total;
  for (const t of cls.reqAffinity) dependent += t.counter.total;
  const memo = cls.failMemo;
  if (memo && memo.freedEpoch === state.freedEpoch && memo.counts === dependent) {
    return { node: -1, message: memo.message, reasons: memo.reasons };
  }

  // ---- PreFilter: everything the filters need, flattened into arrays for the node loop.
  const prep = prepare(state, cls);
  const hardKeys = prep.hardKeys;
  const hard: SpreadState[] =
    cls.hardSpread.length === 0
      ? NO_SPREAD
      : cls.hardSpread.map((c) => spreadState(state, cls, c, hardKeys, true));
  const { hsDom, exDom, exCounts, anDom, anCounts } = prep;
  const hsCounts = prep.hsCounts;
  const hsLimit = prep.hsLimit;
  for (let j = 0; j < hard.length; j++) {
    const h = hard[j]!;
    hsCounts[j] = h.counts;
    // matchNum + self - min > maxSkew  <=>  matchNum > maxSkew + min - self
    hsLimit[j] = h.c.maxSkew + h.min - (h.c.selfMatch ? 1 : 0);
  }
  let affinityTotal = 0;
  for (const t of cls.reqAffinity) affinityTotal += t.counter.total;
  const firstOfGroup = cls.reqAffinity.length > 0 && affinityTotal === 0 && cls.selfMatchesAllAffinity;
  const afDom = firstOfGroup ? [] : prep.afDom;
  const afCounts = firstOfGroup ? [] : prep.afCounts;

  const spec = cls.spec;
  const needPorts = spec.hostPorts.length > 0;
  const cpu = spec.cpu;
  const mem = spec.memory;
  const tolU = cls.tolUnschedulable;
  const tolR = cls.tolUnreachable;
  const fails = cache.fails;
  const { unschedulable, unreachable, podCount, allocPods, allocCpu, reqCpu, allocMemory, reqMemory } = state;
  const numToFind = opts.worstCase ? N : numFeasibleNodesToFind(N, opts.percentageOfNodesToScore);
  const feasible = buffers.feasible;
  let nFeasible = 0;
  const start = N > 0 ? state.nextStartNodeIndex % N : 0;
  let processed = 0;

  nodes: for (let i = 0; i < N; i++) {
    let idx = start + i;
    if (idx >= N) idx -= N;
    const n = order[idx]!;
    processed++;
    if (unschedulable[n] && !tolU) continue;
    const f = fails[n]!;
    if (f & 3) continue;
    if (unreachable[n] && !tolR) continue;
    if (f) continue;
    if (needPorts) {
      const used = state.ports[n];
      if (used && portsConflict(spec.hostPorts, used)) continue;
    }
    if (podCount[n]! + 1 > allocPods[n]!) continue;
    if (cpu > 0 && cpu > allocCpu[n]! - reqCpu[n]!) continue;
    if (mem > 0 && mem > allocMemory[n]! - reqMemory[n]!) continue;
    for (let j = 0; j < hsDom.length; j++) {
      const d = hsDom[j]![n]!;
      if (d < 0 || hsCounts[j]![d]! > hsLimit[j]!) continue nodes;
    }
    for (let j = 0; j < exDom.length; j++) {
      const d = exDom[j]![n]!;
      if (d >= 0 && exCounts[j]![d]! > 0) continue nodes;
    }
    for (let j = 0; j < afDom.length; j++) {
      const d = afDom[j]![n]!;
      if (d < 0 || afCounts[j]![d]! <= 0) continue nodes;
    }
    for (let j = 0; j < anDom.length; j++) {
      const d = anDom[j]![n]!;
      if (d >= 0 && anCounts[j]![d]! > 0) continue nodes;
    }
    feasible[nFeasible++] = n;
    if (nFeasible >= numToFind) break;
  }
  if (N > 0) state.nextStartNodeIndex = (start + processed) % N;

  if (nFeasible === 0) {
    const reasons = diagnose(state, cls, hard, hardKeys, firstOfGroup);
    const message = fitErrorMessage(N, reasons);
    cls.failMemo = { freedEpoch: state.freedEpoch, counts: dependent, message, reasons };
    return { node: -1, message, reasons };
  }
  if (nFeasible === 1) return { node: feasible[0]! };

  const total = buffers.total;
  total.fill(0, 0, nFeasible);
  if (opts.worstCase) scoreWorstCase(state, cls, feasible, nFeasible, total);
  else scoreDefault(state, cls, feasible, nFeasible, total);

  // selectHost: the best score; ties broken by reservoir sampling.
  let best = -Infinity;
  let chosen = -1;
  let ties = 0;
  for (let i = 0; i < nFeasible; i++) {
    const s = total[i]!;
    if (s > best) {
      best = s;
      chosen = feasible[i]!;
      ties = 1;
    } else if (s === best) {
      ties++;
      if (opts.worstCase) continue;
      if (state.rng.int(ties) === 0) chosen = feasible[i]!;
    }
  }
  return { node: chosen };
}

/**
 * Why no node fits: each node's status from the first filter plugin that rejects it, in the profile's
 * order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
 * PodTopologySpread, InterPodAffinity). Runs only when the pod stays Pending, over every node.
 */
function diagnose(
  state: ClusterState,
  cls: PodClass,
  hard: readonly SpreadState[],
  hardKeys: readonly number[],
  firstOfGroup: boolean,
): Map<string, number> {
  const reasons = new Map<string, number>();
  const fail = (r: string): void => {
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  };
  const cache = cls.cache;
  const spec = cls.spec;
  const domainOf = state.domainOf;
  for (const n of state.order) {
    if (state.unschedulable[n] && !cls.tolUnschedulable) {
      fail(REASON_UNSCHEDULABLE);
      continue;
    }
    const fails = cache.fails[n]!;
    if (fails & 1) {
      fail(REASON_NODE_NAME);
      continue;
    }
    if (fails & 2) {
      fail(cache.taintReasons.get(n)!);
      continue;
    }
    if (state.unreachable[n] && !cls.tolUnreachable) {
      fail(taintReason(UNREACHABLE_NOSCHEDULE));
      continue;
    }
    if (fails & 4) {
      fail(REASON_NODE_AFFINITY);
      continue;
    }
    if (spec.hostPorts.length > 0) {
      const used = state.ports[n];
      if (used && portsConflict(spec.hostPorts, used)) {
        fail(REASON_NODE_PORTS);
        continue;
      }
    }
    const tooMany = state.podCount[n]! + 1 > state.allocPods[n]!;
    const noCpu = spec.cpu > 0 && spec.cpu > state.allocCpu[n]! - state.reqCpu[n]!;
    const noMem = spec.memory > 0 && spec.memory > state.allocMemory[n]! - state.reqMemory[n]!;
    if (tooMany || noCpu || noMem) {
      if (tooMany) fail(REASON_TOO_MANY_PODS);
      if (noCpu) fail(REASON_INSUFFICIENT_CPU);
      if (noMem) fail(REASON_INSUFFICIENT_MEMORY);
      continue;
    }
    let spreadFail: string | null = null;
    for (const h of hard) {
      if (hardKeys.some((k) => domainOf[k]![n]! < 0)) {
        spreadFail = REASON_SPREAD_MISSING_LABEL;
        break;
      }
      const matchNum = h.counts[domainOf[h.c.key]![n]!]!;
      if (matchNum + (h.c.selfMatch ? 1 : 0) - h.min > h.c.maxSkew) {
        spreadFail = REASON_SPREAD;
        break;
      }
    }
    if (spreadFail) {
      fail(spreadFail);
      continue;
    }
    const positive = (t: { counter: { perDomain: (Int32Array | undefined)[] }; key: number }): boolean => {
      const d = domainOf[t.key]![n]!;
      return d >= 0 && t.counter.perDomain[t.key]![d]! > 0;
    };
    // satisfyPodAffinity, satisfyPodAntiAffinity, then satisfyExistingPodsAntiAffinity.
    if (!firstOfGroup && cls.reqAffinity.some((t) => !positive(t))) fail(REASON_AFFINITY);
    else if (cls.reqAnti.some(positive)) fail(REASON_ANTI_AFFINITY);
    else if (cls.existingAnti.some(positive)) fail(REASON_EXISTING_ANTI_AFFINITY);
  }
  return reasons;
}

function scoreDefault(
  state: ClusterState,
  cls: PodClass,
  feasible: Int32Array,
  F: number,
  total: Float64Array,
): void {
  const cache = cls.cache;
  const spec = cls.spec;
  const a = buffers.a;
  // TaintToleration (constant when no node has PreferNoSchedule taints)
  if (cache.preferNoSchedule) {
    for (let i = 0; i < F; i++) a[i] = cache.preferNoSchedule[feasible[i]!]!;
    normalizeTaintScores(a, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.TaintToleration * a[i]!;
  }
  // NodeAffinity (preferred)
  if (cache.nodeAffinity) {
    for (let i = 0; i < F; i++) a[i] = cache.nodeAffinity[feasible[i]!]!;
    normalizeNodeAffinityScores(a, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.NodeAffinity * a[i]!;
  }
  // NodeResourcesFit (LeastAllocated, on non-zero requests) and BalancedAllocation (on requests):
  // the plugins' arithmetic (least-allocated.ts, balanced-allocation.ts) inlined for the hot loop.
  const { nzCpu, nzMemory, reqCpu, reqMemory, allocCpu, allocMemory } = state;
  const pnzCpu = spec.nzCpu;
  const pnzMem = spec.nzMemory;
  const pCpu = spec.cpu;
  const pMem = spec.memory;
  const balanced = !cls.bestEffort;
  for (let i = 0; i < F; i++) {
    const n = feasible[i]!;
    const ac = allocCpu[n]!;
    const am = allocMemory[n]!;
    const rc = nzCpu[n]! + pnzCpu;
    const rm = nzMemory[n]! + pnzMem;
    const lc = ac === 0 || rc > ac ? 0 : Math.trunc(((ac - rc) * 100) / ac);
    const lm = am === 0 || rm > am ? 0 : Math.trunc(((am - rm) * 100) / am);
    let t = total[i]! + WEIGHTS.NodeResourcesFit * Math.trunc((lc + lm) / 2);
    if (balanced) {
      if (ac > 0 && am > 0) {
        let fc = (reqCpu[n]! + pCpu) / ac;
        let fm = (reqMemory[n]! + pMem) / am;
        if (fc > 1) fc = 1;
        if (fm > 1) fm = 1;
        t += WEIGHTS.NodeResourcesBalancedAllocation * Math.trunc((1 - Math.abs((fc - fm) / 2)) * 100);
      } else t += WEIGHTS.NodeResourcesBalancedAllocation * 100;
    }
    total[i] = t;
  }
  // PodTopologySpread (ScheduleAnyway and system defaults)
  if (cls.softSpread.length > 0) scoreSpread(state, cls, feasible, F, total);
  // InterPodAffinity (preferred terms of both sides, existing pods' required affinity)
  const prep = cls.prep!;
  const ipaDom = prep.ipaDom;
  if (ipaDom.length > 0) {
    const ipaCounts = prep.ipaCounts;
    const ipaW = prep.ipaW;
    const T = ipaDom.length;
    let any = false;
    for (let i = 0; i < F; i++) {
      const n = feasible[i]!;
      let sc = 0;
      for (let j = 0; j < T; j++) {
        const d = ipaDom[j]![n]!;
        if (d >= 0) sc += ipaW[j]! * ipaCounts[j]![d]!;
      }
      a[i] = sc;
      if (sc !== 0) any = true;
    }
    if (any) {
      normalizeInterPodAffinityScores(a, F);
      for (let i = 0; i < F; i++) total[i]! += WEIGHTS.InterPodAffinity * a[i]!;
    }
  }
}

function scoreSpread(
  state: ClusterState,
  cls: PodClass,
  feasible: Int32Array,
  F: number,
  total: Float64Array,
): void {
  const prep = cls.prep!;
  const cons = cls.softSpread;
  const C = cons.length;
  const requireAll = !cls.systemDefaulted;
  const doms = prep.softDoms;
  const adds = prep.softAdds;
  const weights = prep.softWeights;
  const ignored = buffers.ignored;
  let ignoredCount = 0;
  if (requireAll) {
    for (let i = 0; i < F; i++) {
      const n = feasible[i]!;
      let ig = 0;
      for (let j = 0; j < C; j++) if (doms[j]![n]! < 0) ig = 1;
      ignored[i] = ig;
      ignoredCount += ig;
    }
  } else ignored.fill(0, 0, F);
  const counts = buffers.softCounts;
  for (let j = 0; j < C; j++) {
    const c = cons[j]!;
    counts[j] =
      prep.softCounts[j] ?? spreadState(state, cls, c, requireAll ? prep.softKeys : [c.key], false).counts;
    if (state.perNodeKey[c.key]) {
      weights[j] = topologyNormalizingWeight(F - ignoredCount);
      continue;
    }
    const dom = doms[j]!;
    const seen = buffers.marks(state.domainValues[c.key]!.length);
    const stamp = buffers.stamp;
    let size = 0;
    for (let i = 0; i < F; i++) {
      if (ignored[i]) continue;
      const d = dom[feasible[i]!]!;
      if (d >= 0 && seen[d] !== stamp) {
        seen[d] = stamp;
        size++;
      }
    }
    weights[j] = topologyNormalizingWeight(size);
  }
  const b = buffers.b;
  for (let i = 0; i < F; i++) {
    if (ignored[i]) {
      b[i] = 0;
      continue;
    }
    const n = feasible[i]!;
    let sc = 0;
    for (let j = 0; j < C; j++) {
      const d = doms[j]![n]!;
      if (d < 0) continue;
      // scoreForCount: count * weight + (maxSkew - 1); per-node keys have d = n.
      sc += counts[j]![d]! * weights[j]! + adds[j]!;
    }
    b[i] = Math.round(sc);
  }
  normalizeSpreadScores(b, ignored, F);
  for (let i = 0; i < F; i++) total[i]! += WEIGHTS.PodTopologySpread * b[i]!;
}

/** --worst-case: pile the workload's pods together (same node, then same zone), fullest nodes first. */
function scoreWorstCase(
  state: ClusterState,
  cls: PodClass,
  feasible: Int32Array,
  F: number,
  total: Float64Array,
): void {
  const own = cls.own;
  const zk = state.keyIndex.get('topology.kubernetes.io/zone')!;
  for (let i = 0; i < F; i++) {
    const n = feasible[i]!;
    let s = 0;
    if (own) {
      s += own.perNode[n]! * 1e9;
      const d = state.domainOf[zk]![n]!;
      if (d >= 0) s += own.perDomain[zk]![d]! * 1e6;
    }
    const cpu = state.allocCpu[n]! > 0 ? state.nzCpu[n]! / state.allocCpu[n]! : 0;
    const mem = state.allocMemory[n]! > 0 ? state.nzMemory[n]! / state.allocMemory[n]! : 0;
    s += Math.round((cpu + mem) * 1000);
    total[i] = s;
  }
}
