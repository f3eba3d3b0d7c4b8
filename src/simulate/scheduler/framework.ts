/**
 * One scheduling cycle of kube-scheduler's default profile over the simulated cluster:
 * PreFilter (spread and affinity state from the incremental counters), Filter in the profile's plugin
 * order until percentageOfNodesToScore feasible nodes are found (starting where the previous cycle
 * stopped, over nodes in NodeTree order), Score with the default weights, NormalizeScore, and
 * selectHost with seeded reservoir sampling among the best nodes.
 */
import type { ClusterState, PodClass, Prepared, PreparedSpread } from '../cluster-state.js';
import {
  FAILS_NODE_AFFINITY,
  FAILS_NODE_NAME,
  FAILS_TAINT_TOLERATION,
  UNREACHABLE_NOSCHEDULE,
} from '../cluster-state.js';
import {
  REASON_AFFINITY,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
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
import { MAX_NODE_SCORE } from './normalize.js';
import {
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

const SPREAD_TABLE_SIZE = 256;

/** Scratch buffers reused across cycles. */
class Buffers {
  feasible = new Int32Array(0);
  a = new Float64Array(0);
  b = new Float64Array(0);
  total = new Float64Array(0);
  ignored = new Uint8Array(0);
  private mark = new Int32Array(0);
  private mark2 = new Int32Array(0);
  softCounts: Int32Array[] = [];
  spreadTable = new Float64Array(SPREAD_TABLE_SIZE);
  stamp = 0;
  stamp2 = 0;
  /** A marker array of at least n slots; a slot is marked when it equals `stamp` (fresh each call). */
  marks(n: number): Int32Array {
    if (this.mark.length < n) this.mark = new Int32Array(Math.max(n, this.mark.length * 2));
    this.stamp++;
    return this.mark;
  }
  /** A second marker array, for a second constraint counted in the same pass. */
  marks2(n: number): Int32Array {
    if (this.mark2.length < n) this.mark2 = new Int32Array(Math.max(n, this.mark2.length * 2));
    this.stamp2++;
    return this.mark2;
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
  if (c.honorAffinity && fails & FAILS_NODE_AFFINITY) return false;
  if (c.honorTaints) {
    if (fails & FAILS_TAINT_TOLERATION) return false;
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

/** Whether any term from `from` on has a matching pod in node n's domain. */
function anyPositive(
  doms: readonly Int32Array[],
  counts: readonly Int32Array[],
  n: number,
  from = 0,
): boolean {
  for (let j = from; j < doms.length; j++) {
    const d = doms[j]![n]!;
    if (d >= 0 && counts[j]![d]! > 0) return true;
  }
  return false;
}

/** Whether every term from `from` on has a matching pod in node n's domain. */
function allPositive(
  doms: readonly Int32Array[],
  counts: readonly Int32Array[],
  n: number,
  from: number,
): boolean {
  for (let j = from; j < doms.length; j++) {
    const d = doms[j]![n]!;
    if (d < 0 || counts[j]![d]! <= 0) return false;
  }
  return true;
}

/** Whether a hard spread constraint from the second on rejects node n (missing key or too skewed). */
function skewedFrom(
  doms: readonly Int32Array[],
  counts: readonly Int32Array[],
  limits: readonly number[],
  n: number,
): boolean {
  for (let j = 1; j < doms.length; j++) {
    const d = doms[j]![n]!;
    if (d < 0 || counts[j]![d]! > limits[j]!) return true;
  }
  return false;
}

/** Whether a node lacks the key of a soft constraint from the third on. */
function missingFrom(doms: readonly Int32Array[], n: number): boolean {
  for (let j = 2; j < doms.length; j++) if (doms[j]![n]! < 0) return true;
  return false;
}

/** The spread score terms of the constraints from the third on, added to `sc` in order. */
function spreadTermsFrom(
  doms: readonly Int32Array[],
  counts: readonly Int32Array[],
  weights: Float64Array,
  adds: readonly number[],
  n: number,
  sc: number,
): number {
  for (let j = 2; j < doms.length; j++) {
    const d = doms[j]![n]!;
    if (d >= 0) sc += counts[j]![d]! * weights[j]! + adds[j]!;
  }
  return sc;
}

/** The preferred pod (anti-)affinity terms from the second on, added to `sc` in order. */
function affinityTermsFrom(
  doms: readonly Int32Array[],
  counts: readonly Int32Array[],
  weights: readonly number[],
  n: number,
  sc: number,
): number {
  for (let j = 1; j < doms.length; j++) {
    const d = doms[j]![n]!;
    if (d >= 0) sc += weights[j]! * counts[j]![d]!;
  }
  return sc;
}
const EMPTY = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

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

  // The first term of each kind in locals, the others in helpers: V8 compiles a node loop with
  // inner loops over arrays of typed arrays (and labelled continues out of them) 2-3x slower, and
  // most pods have at most one term of each kind.
  const H = hsDom.length;
  const hs0Dom = H > 0 ? hsDom[0]! : EMPTY;
  const hs0Counts = H > 0 ? hsCounts[0]! : EMPTY;
  const hs0Limit = H > 0 ? hsLimit[0]! : 0;
  const X = exDom.length;
  const ex0Dom = X > 0 ? exDom[0]! : EMPTY;
  const ex0Counts = X > 0 ? exCounts[0]! : EMPTY;
  const A = afDom.length;
  const af0Dom = A > 0 ? afDom[0]! : EMPTY;
  const af0Counts = A > 0 ? afCounts[0]! : EMPTY;
  const M = anDom.length;
  const an0Dom = M > 0 ? anDom[0]! : EMPTY;
  const an0Counts = M > 0 ? anCounts[0]! : EMPTY;

  for (let i = 0; i < N; i++) {
    let idx = start + i;
    if (idx >= N) idx -= N;
    const n = order[idx]!;
    processed++;
    if (unschedulable[n] && !tolU) continue;
    if (fails[n] !== 0) continue;
    if (unreachable[n] && !tolR) continue;
    if (needPorts) {
      const used = state.ports[n];
      if (used && portsConflict(spec.hostPorts, used)) continue;
    }
    if (podCount[n]! + 1 > allocPods[n]!) continue;
    if (cpu > 0 && cpu > allocCpu[n]! - reqCpu[n]!) continue;
    if (mem > 0 && mem > allocMemory[n]! - reqMemory[n]!) continue;
    if (H > 0) {
      const d = hs0Dom[n]!;
      if (d < 0 || hs0Counts[d]! > hs0Limit) continue;
      if (H > 1 && skewedFrom(hsDom, hsCounts, hsLimit, n)) continue;
    }
    if (X > 0) {
      const d = ex0Dom[n]!;
      if (d >= 0 && ex0Counts[d]! > 0) continue;
      if (X > 1 && anyPositive(exDom, exCounts, n, 1)) continue;
    }
    if (A > 0) {
      const d = af0Dom[n]!;
      if (d < 0 || af0Counts[d]! <= 0) continue;
      if (A > 1 && !allPositive(afDom, afCounts, n, 1)) continue;
    }
    if (M > 0) {
      const d = an0Dom[n]!;
      if (d >= 0 && an0Counts[d]! > 0) continue;
      if (M > 1 && anyPositive(anDom, anCounts, n, 1)) continue;
    }
    feasible[nFeasible++] = n;
    if (nFeasible >= numToFind) break;
  }
  if (N > 0) state.nextStartNodeIndex = (start + processed) % N;

  if (nFeasible === 0) {
    const reasons = diagnose(state, cls, prep, hard, firstOfGroup);
    const message = fitErrorMessage(N, reasons);
    cls.failMemo = { freedEpoch: state.freedEpoch, counts: dependent, message, reasons };
    return { node: -1, message, reasons };
  }
  if (nFeasible === 1) return { node: feasible[0]! };

  const total = buffers.total;
  if (opts.worstCase) scoreWorstCase(state, cls, feasible, nFeasible, total);
  else scoreDefault(state, cls, prep, feasible, nFeasible, total);

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

// Filter reasons as small integers while counting, turned into kube-scheduler's strings once.
const R_UNSCHEDULABLE = 0;
const R_NODE_NAME = 1;
const R_UNREACHABLE = 2;
const R_NODE_AFFINITY = 3;
const R_NODE_PORTS = 4;
const R_TOO_MANY_PODS = 5;
const R_CPU = 6;
const R_MEMORY = 7;
const R_SPREAD_MISSING_LABEL = 8;
const R_SPREAD = 9;
const R_AFFINITY = 10;
const R_ANTI_AFFINITY = 11;
const R_EXISTING_ANTI_AFFINITY = 12;
const REASON_TEXT = [
  REASON_UNSCHEDULABLE,
  REASON_NODE_NAME,
  taintReason(UNREACHABLE_NOSCHEDULE),
  REASON_NODE_AFFINITY,
  REASON_NODE_PORTS,
  REASON_TOO_MANY_PODS,
  REASON_INSUFFICIENT_CPU,
  REASON_INSUFFICIENT_MEMORY,
  REASON_SPREAD_MISSING_LABEL,
  REASON_SPREAD,
  REASON_AFFINITY,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
];
const reasonCounts = new Int32Array(REASON_TEXT.length);

/** A node's filter status while counting reasons: the resources plugin can give up to three. */
const R_TAINT = REASON_TEXT.length;
const R_RESOURCES = REASON_TEXT.length + 1;
/** The pod fits the node. */
export const FITS = -1;

/** The PreFilter state one node's Filter reads (the fused loop in scheduleOne reads the same). */
interface FilterEnv {
  state: ClusterState;
  cls: PodClass;
  prep: Prepared;
  afDom: Int32Array[];
  afCounts: Int32Array[];
  hard: number;
}

/**
 * The first filter plugin that rejects node n, in the profile's order (NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity),
 * or FITS.
 */
function filterNode(env: FilterEnv, n: number): number {
  const { state, cls, prep } = env;
  const fails = cls.cache.fails[n]!;
  if (state.unschedulable[n] && !cls.tolUnschedulable) return R_UNSCHEDULABLE;
  if (fails & FAILS_NODE_NAME) return R_NODE_NAME;
  if (fails & FAILS_TAINT_TOLERATION) return R_TAINT;
  if (state.unreachable[n] && !cls.tolUnreachable) return R_UNREACHABLE;
  if (fails & FAILS_NODE_AFFINITY) return R_NODE_AFFINITY;
  const spec = cls.spec;
  if (spec.hostPorts.length > 0) {
    const used = state.ports[n];
    if (used && portsConflict(spec.hostPorts, used)) return R_NODE_PORTS;
  }
  if (
    state.podCount[n]! + 1 > state.allocPods[n]! ||
    (spec.cpu > 0 && spec.cpu > state.allocCpu[n]! - state.reqCpu[n]!) ||
    (spec.memory > 0 && spec.memory > state.allocMemory[n]! - state.reqMemory[n]!)
  )
    return R_RESOURCES;
  if (env.hard > 0) {
    const { hardKeyDom, hsDom, hsCounts, hsLimit } = prep;
    for (let j = 0; j < hardKeyDom.length; j++) if (hardKeyDom[j]![n]! < 0) return R_SPREAD_MISSING_LABEL;
    // matchNum + self - min > maxSkew, as in the filter loop.
    for (let j = 0; j < env.hard; j++) if (hsCounts[j]![hsDom[j]![n]!]! > hsLimit[j]!) return R_SPREAD;
  }
  // satisfyPodAffinity, satisfyPodAntiAffinity, then satisfyExistingPodsAntiAffinity.
  for (let j = 0; j < env.afDom.length; j++) {
    const d = env.afDom[j]![n]!;
    if (d < 0 || env.afCounts[j]![d]! <= 0) return R_AFFINITY;
  }
  if (anyPositive(prep.anDom, prep.anCounts, n)) return R_ANTI_AFFINITY;
  if (anyPositive(prep.exDom, prep.exCounts, n)) return R_EXISTING_ANTI_AFFINITY;
  return FITS;
}

/**
 * Whether removing pods can make the node fit: a plugin's Unschedulable status, as opposed to
 * UnschedulableAndUnresolvable (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, a missing
 * spread key and unmet pod affinity), which DefaultPreemption skips.
 */
export function isResolvable(code: number): boolean {
  return (
    code === R_NODE_PORTS ||
    code === R_RESOURCES ||
    code === R_SPREAD ||
    code === R_ANTI_AFFINITY ||
    code === R_EXISTING_ANTI_AFFINITY
  );
}

/** PreFilter afresh for a pod of cls (the counts may have moved since the last cycle). */
function preFilter(state: ClusterState, cls: PodClass): FilterEnv {
  state.ensureStatic(cls);
  state.refreshExisting(cls);
  const prep = prepare(state, cls);
  const hard =
    cls.hardSpread.length === 0
      ? NO_SPREAD
      : cls.hardSpread.map((c) => spreadState(state, cls, c, prep.hardKeys, true));
  for (let j = 0; j < hard.length; j++) {
    const h = hard[j]!;
    prep.hsCounts[j] = h.counts;
    prep.hsLimit[j] = h.c.maxSkew + h.min - (h.c.selfMatch ? 1 : 0);
  }
  return filterEnvOf(state, cls, prep, hard.length, isFirstOfGroup(cls));
}

function isFirstOfGroup(cls: PodClass): boolean {
  let affinityTotal = 0;
  for (const t of cls.reqAffinity) affinityTotal += t.counter.total;
  return cls.reqAffinity.length > 0 && affinityTotal === 0 && cls.selfMatchesAllAffinity;
}

function filterEnvOf(
  state: ClusterState,
  cls: PodClass,
  prep: Prepared,
  hard: number,
  firstOfGroup: boolean,
): FilterEnv {
  return {
    state,
    cls,
    prep,
    afDom: firstOfGroup ? [] : prep.afDom,
    afCounts: firstOfGroup ? [] : prep.afCounts,
    hard,
  };
}

/** The Filter phase of one cycle for a pod of cls on node n alone: FITS or the rejecting reason. */
export function filterOneNode(state: ClusterState, cls: PodClass, n: number): number {
  return filterNode(preFilter(state, cls), n);
}

/** Each existing node's filter status (FITS or a reason), in NodeTree order, for a pod of cls. */
export function filterEveryNode(state: ClusterState, cls: PodClass): { node: number; code: number }[] {
  const env = preFilter(state, cls);
  return state.order.map((n) => ({ node: n, code: filterNode(env, n) }));
}

/**
 * Why no node fits: each node's status from the first filter plugin that rejects it, in the profile's
 * order. Runs only when the pod stays Pending, over every node.
 */
function diagnose(
  state: ClusterState,
  cls: PodClass,
  prep: Prepared,
  hard: readonly SpreadState[],
  firstOfGroup: boolean,
): Map<string, number> {
  const counts = reasonCounts;
  counts.fill(0);
  // Static taints name the taint, so their reasons stay strings (nodes with taints are few).
  const taints = new Map<string, number>();
  const env = filterEnvOf(state, cls, prep, hard.length, firstOfGroup);
  const { cpu, memory } = cls.spec;
  const { podCount, allocPods, allocCpu, reqCpu, allocMemory, reqMemory } = state;
  for (const n of state.order) {
    const code = filterNode(env, n);
    if (code === FITS) continue;
    if (code === R_TAINT) {
      const r = cls.cache.taintReasons.get(n)!;
      taints.set(r, (taints.get(r) ?? 0) + 1);
    } else if (code === R_RESOURCES) {
      // fitsRequest reports every insufficient resource.
      if (podCount[n]! + 1 > allocPods[n]!) counts[R_TOO_MANY_PODS]!++;
      if (cpu > 0 && cpu > allocCpu[n]! - reqCpu[n]!) counts[R_CPU]!++;
      if (memory > 0 && memory > allocMemory[n]! - reqMemory[n]!) counts[R_MEMORY]!++;
    } else counts[code]!++;
  }
  const reasons = new Map<string, number>();
  for (let r = 0; r < counts.length; r++) {
    if (counts[r]! > 0) reasons.set(REASON_TEXT[r]!, (reasons.get(REASON_TEXT[r]!) ?? 0) + counts[r]!);
  }
  for (const [r, c] of taints) reasons.set(r, (reasons.get(r) ?? 0) + c);
  return reasons;
}

/**
 * The default profile's scores summed with their weights into `total`. The plugins' arithmetic
 * (least-allocated.ts, balanced-allocation.ts, pod-topology-spread.ts, inter-pod-affinity.ts and
 * their NormalizeScore) is inlined and fused into a few passes over the feasible nodes: this is the
 * hottest loop of the simulator. Every score is an integer, so the sum does not depend on the order
 * in which the plugins are added.
 */
function scoreDefault(
  state: ClusterState,
  cls: PodClass,
  prep: Prepared,
  feasible: Int32Array,
  F: number,
  total: Float64Array,
): void {
  const cache = cls.cache;
  const spec = cls.spec;
  const a = buffers.a;
  const b = buffers.b;
  const ignored = buffers.ignored;
  const { nzCpu, nzMemory, reqCpu, reqMemory, allocCpu, allocMemory } = state;
  const pnzCpu = spec.nzCpu;
  const pnzMem = spec.nzMemory;
  const pCpu = spec.cpu;
  const pMem = spec.memory;
  const balanced = !cls.bestEffort;
  let rs = cls.resScores;
  if (rs === undefined || (rs !== null && rs.version.length < state.capacity))
    rs = cls.resScores = state.resourceScoresFor(cls) ?? null;
  const resVersion = state.resVersion;
  const cachedVersion = rs ? rs.version : EMPTY;
  const cachedScore = rs ? rs.score : EMPTY_F64;
  const cached = rs !== null;
  // PodTopologySpread (ScheduleAnyway and system defaults): a node missing a key is ignored when
  // the constraints are the pod's own (all keys required); the weight of a constraint is ln(number
  // of domains among the scored nodes + 2).
  const C = cls.softSpread.length;
  const requireAll = !cls.systemDefaulted;
  const doms = prep.softDoms;
  const spreadOn = C > 0;
  let ignoredCount = 0;
  const seen0 =
    spreadOn && !state.perNodeKey[cls.softSpread[0]!.key]
      ? buffers.marks(state.domainValues[cls.softSpread[0]!.key]!.length)
      : undefined;
  const stamp0 = buffers.stamp;
  const seen1 =
    C > 1 && !state.perNodeKey[cls.softSpread[1]!.key]
      ? buffers.marks2(state.domainValues[cls.softSpread[1]!.key]!.length)
      : undefined;
  const stamp1 = buffers.stamp2;
  const dom0 = spreadOn ? doms[0]! : EMPTY;
  const dom1 = C > 1 ? doms[1]! : EMPTY;
  let size0 = 0;
  let size1 = 0;
  // InterPodAffinity (preferred terms of both sides, existing pods' required affinity).
  const ipaDom = prep.ipaDom;
  const T = ipaDom.length;
  const ipaCounts = prep.ipaCounts;
  const ipaW = prep.ipaW;
  const ipa0Dom = T > 0 ? ipaDom[0]! : EMPTY;
  const ipa0Counts = T > 0 ? ipaCounts[0]! : EMPTY;
  const ipa0W = T > 0 ? ipaW[0]! : 0;
  let ipaMin = Infinity;
  let ipaMax = -Infinity;

  // Pass 1: NodeResourcesFit (LeastAllocated on non-zero requests) and BalancedAllocation (on
  // requests), the spread domains present, and the raw InterPodAffinity score.
  for (let i = 0; i < F; i++) {
    const n = feasible[i]!;
    const version = resVersion[n]!;
    let t: number;
    if (cached && cachedVersion[n] === version) t = cachedScore[n]!;
    else {
      const ac = allocCpu[n]!;
      const am = allocMemory[n]!;
      const rc = nzCpu[n]! + pnzCpu;
      const rm = nzMemory[n]! + pnzMem;
      const lc = ac === 0 || rc > ac ? 0 : Math.trunc(((ac - rc) * 100) / ac);
      const lm = am === 0 || rm > am ? 0 : Math.trunc(((am - rm) * 100) / am);
      t = WEIGHTS.NodeResourcesFit * Math.trunc((lc + lm) / 2);
      if (balanced) {
        if (ac > 0 && am > 0) {
          let fc = (reqCpu[n]! + pCpu) / ac;
          let fm = (reqMemory[n]! + pMem) / am;
          if (fc > 1) fc = 1;
          if (fm > 1) fm = 1;
          t += WEIGHTS.NodeResourcesBalancedAllocation * Math.trunc((1 - Math.abs((fc - fm) / 2)) * 100);
        } else t += WEIGHTS.NodeResourcesBalancedAllocation * 100;
      }
      if (cached) {
        cachedVersion[n] = version;
        cachedScore[n] = t;
      }
    }
    total[i] = t;
    if (spreadOn) {
      let ig = 0;
      if (requireAll) {
        if (dom0[n]! < 0 || (C > 1 && dom1[n]! < 0) || (C > 2 && missingFrom(doms, n))) ig = 1;
      }
      ignored[i] = ig;
      if (ig) ignoredCount++;
      else {
        if (seen0) {
          const d = dom0[n]!;
          if (d >= 0 && seen0[d] !== stamp0) {
            seen0[d] = stamp0;
            size0++;
          }
        }
        if (seen1) {
          const d = dom1[n]!;
          if (d >= 0 && seen1[d] !== stamp1) {
            seen1[d] = stamp1;
            size1++;
          }
        }
      }
    }
    if (T > 0) {
      let sc = 0;
      const d0 = ipa0Dom[n]!;
      if (d0 >= 0) sc += ipa0W * ipa0Counts[d0]!;
      if (T > 1) sc = affinityTermsFrom(ipaDom, ipaCounts, ipaW, n, sc);
      a[i] = sc;
      if (sc < ipaMin) ipaMin = sc;
      if (sc > ipaMax) ipaMax = sc;
    }
  }
  // TaintToleration (constant when no node has PreferNoSchedule taints) and preferred NodeAffinity.
  if (cache.preferNoSchedule) {
    const pns = cache.preferNoSchedule;
    for (let i = 0; i < F; i++) b[i] = pns[feasible[i]!]!;
    normalizeTaintScores(b, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.TaintToleration * b[i]!;
  }
  if (cache.nodeAffinity) {
    const na = cache.nodeAffinity;
    for (let i = 0; i < F; i++) b[i] = na[feasible[i]!]!;
    normalizeNodeAffinityScores(b, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.NodeAffinity * b[i]!;
  }
  // Pass 2: the spread score per node (scoreForCount summed over the constraints, rounded), then
  // NormalizeScore: 100 * (max + min - s) / max, ignored nodes 0, all 100 when max is 0.
  if (spreadOn) {
    const weights = prep.softWeights;
    const counts = buffers.softCounts;
    const adds = prep.softAdds;
    for (let j = 0; j < C; j++) {
      const c = cls.softSpread[j]!;
      counts[j] =
        prep.softCounts[j] ?? spreadState(state, cls, c, requireAll ? prep.softKeys : [c.key], false).counts;
      weights[j] = topologyNormalizingWeight(
        state.perNodeKey[cls.softSpread[j]!.key] ? F - ignoredCount : j === 0 ? size0 : j === 1 ? size1 : 0,
      );
    }
    // More than two constraints: count the domains of the others the plain way.
    for (let j = 2; j < C; j++) {
      if (state.perNodeKey[cls.softSpread[j]!.key]) continue;
      const dom = doms[j]!;
      const seen = buffers.marks(state.domainValues[cls.softSpread[j]!.key]!.length);
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
    let min = Infinity;
    let max = 0;
    const cnt0 = counts[0]!;
    const w0 = weights[0]!;
    const add0 = adds[0]!;
    const cnt1 = C > 1 ? counts[1]! : EMPTY;
    const w1 = C > 1 ? weights[1]! : 0;
    const add1 = C > 1 ? adds[1]! : 0;
    for (let i = 0; i < F; i++) {
      if (ignored[i]) continue;
      const n = feasible[i]!;
      // scoreForCount summed in constraint order: count * weight + (maxSkew - 1); per-node keys
      // have d = n.
      let sc = 0;
      const d0 = dom0[n]!;
      if (d0 >= 0) sc += cnt0[d0]! * w0 + add0;
      if (C > 1) {
        const d1 = dom1[n]!;
        if (d1 >= 0) sc += cnt1[d1]! * w1 + add1;
        if (C > 2) sc = spreadTermsFrom(doms, counts, weights, adds, n, sc);
      }
      const r = Math.round(sc);
      b[i] = r;
      if (r < min) min = r;
      if (r > max) max = r;
    }
    // The raw scores are integers (rounded) in [min, max]: when that range is small, each normalized
    // value is computed once into a table instead of one division per node.
    const range = max - min;
    if (max !== 0 && range <= SPREAD_TABLE_SIZE - 1) {
      const table = buffers.spreadTable;
      for (let v = 0; v <= range; v++)
        table[v] = Math.trunc((MAX_NODE_SCORE * (max + min - (min + v))) / max);
      for (let i = 0; i < F; i++)
        if (!ignored[i]) total[i]! += WEIGHTS.PodTopologySpread * table[b[i]! - min]!;
    } else {
      for (let i = 0; i < F; i++) {
        const s = ignored[i]
          ? 0
          : max === 0
            ? MAX_NODE_SCORE
            : Math.trunc((MAX_NODE_SCORE * (max + min - b[i]!)) / max);
        total[i]! += WEIGHTS.PodTopologySpread * s;
      }
    }
  }
  // InterPodAffinity NormalizeScore: min-max to [0, 100]; nothing when every raw score is 0.
  if (T > 0 && (ipaMin !== 0 || ipaMax !== 0)) {
    const diff = ipaMax - ipaMin;
    if (diff > 0)
      for (let i = 0; i < F; i++)
        total[i]! += WEIGHTS.InterPodAffinity * Math.trunc(100 * ((a[i]! - ipaMin) / diff));
  }
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
