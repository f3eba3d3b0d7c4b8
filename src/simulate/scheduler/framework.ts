/**
 * One scheduling cycle of kube-scheduler's default profile over the simulated cluster:
 * PreFilter (spread and affinity state from the incremental counters), Filter in the profile's plugin
 * order until percentageOfNodesToScore feasible nodes are found (starting where the previous cycle
 * stopped, over nodes in NodeTree order), Score with the default weights, NormalizeScore, and
 * selectHost with seeded reservoir sampling among the best nodes.
 *
 * The plugins themselves are one file each in this folder, named as kube-scheduler's
 * pkg/scheduler/framework/plugins names them; this file calls their per-node filter and score kernels
 * from one fused node loop (filterNode for one node's reason), keeps the cycle's scratch in the
 * cluster's CycleState, and names each rejection after its plugin (filter-status.ts).
 */
import type { ClusterState, PodClass, Prepared } from '../cluster-state.js';
import type { HostPort } from '../pod-spec.js';
import { UNREACHABLE_NOSCHEDULE } from '../cluster-state.js';
import { balancedAllocationScore } from './balanced-allocation.js';
import { SPREAD_TABLE_SIZE, type FilterInput } from './cycle-state.js';
import { FITS, Rejection, StaticFailure, type FilterCode } from './filter-status.js';
import {
  normalizedInterPodAffinityScore,
  preferredTermScore,
  preferredTermsScoreFrom,
  REASON_AFFINITY,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
  rejectsAffinityTerm,
  rejectsAntiAffinityTerm,
  rejectsAnyAffinityTerm,
  rejectsAnyAntiAffinityTerm,
} from './inter-pod-affinity.js';
import { REASON_NODE_AFFINITY, normalizeNodeAffinityScores } from './node-affinity.js';
import { REASON_NODE_NAME } from './node-name.js';
import { portsConflict, REASON_NODE_PORTS } from './node-ports.js';
import {
  Insufficient,
  insufficientResources,
  leastAllocatedScore,
  REASON_INSUFFICIENT_CPU,
  REASON_INSUFFICIENT_MEMORY,
  REASON_TOO_MANY_PODS,
} from './node-resources-fit.js';
import { REASON_UNSCHEDULABLE, rejectsUnschedulable } from './node-unschedulable.js';
import {
  normalizedSpreadScore,
  REASON_SPREAD,
  REASON_SPREAD_MISSING_LABEL,
  rejectsAnySkew,
  lacksAnyKeyFrom,
  isFast,
  rejectsSkew,
  spreadState,
  spreadTerm,
  spreadTermsFrom,
  topologyNormalizingWeight,
  preFilterHardSpread,
} from './pod-topology-spread.js';
import { normalizeTaintScores, rejectsDynamicTaint, taintReason } from './taint-toleration.js';

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

const EMPTY = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * A list of per-node or per-domain arrays whose hidden class does not depend on whether it is empty.
 * V8 gives an empty array literal (and `[].map(…)`) the hidden class of a list of small integers, a
 * list of objects another; the scheduler's PreFilter and Score code, which reads these lists every
 * cycle, was deoptimized and recompiled at each read that met the other one.
 */
function arrayList<T>(
  items: readonly T[],
  of: (item: T) => Int32Array | undefined,
): (Int32Array | undefined)[] {
  const out: (Int32Array | undefined)[] = [EMPTY];
  out.length = 0;
  for (const item of items) out.push(of(item));
  return out;
}
function int32Arrays<T>(items: readonly T[], of: (item: T) => Int32Array): Int32Array[] {
  return arrayList(items, of) as Int32Array[];
}
/** The pod's required affinity terms for the first pod of a group (none apply). */
const NO_TERMS = int32Arrays([], () => EMPTY);

/** The class's filter arrays (domains per node, counts per domain), rebuilt when counters change. */
function prepare(state: ClusterState, cls: PodClass): Prepared {
  const p = cls.prep;
  if (p && p.epoch === state.epoch && p.holderVersion === cls.existingVersion) return p;
  const domainOf = state.domainOf;
  const dom = (ts: readonly { key: number }[]): Int32Array[] => int32Arrays(ts, (t) => domainOf[t.key]!);
  const counts = (
    ts: readonly { counter: { perDomain: (Int32Array | undefined)[] }; key: number }[],
  ): Int32Array[] => int32Arrays(ts, (t) => t.counter.perDomain[t.key]!);
  cls.prep = {
    epoch: state.epoch,
    holderVersion: cls.existingVersion,
    hardSpreadKeys: cls.hardSpread.map((c) => c.key),
    hardSpreadCounts: int32Arrays(cls.hardSpread, () => EMPTY),
    hardSpreadLimits: cls.hardSpread.map(() => 0),
    softSpreadKeys: cls.softSpread.map((c) => c.key),
    softSpreadDomains: dom(cls.softSpread),
    softSpreadMaxSkewsMinusOne: cls.softSpread.map((c) => c.maxSkew - 1),
    softSpreadSharedCounts: arrayList(cls.softSpread, (c) => {
      const keys = cls.systemDefaulted ? [c.key] : cls.softSpread.map((x) => x.key);
      return isFast(state, cls, c, keys) ? spreadState(state, cls, c, keys, false).counts : undefined;
    }),
    softSpreadWeights: new Float64Array(cls.softSpread.length),
    preferredTermDomains: dom([...cls.preferred, ...cls.existingPreferred]),
    preferredTermCounts: counts([...cls.preferred, ...cls.existingPreferred]),
    preferredTermWeights: [...cls.preferred, ...cls.existingPreferred].map((t) => t.weight),
    hardSpreadDomains: dom(cls.hardSpread),
    existingAntiAffinityDomains: dom(cls.existingAnti),
    existingAntiAffinityCounts: counts(cls.existingAnti),
    requiredAffinityDomains: dom(cls.reqAffinity),
    requiredAffinityCounts: counts(cls.reqAffinity),
    requiredAntiAffinityDomains: dom(cls.reqAnti),
    requiredAntiAffinityCounts: counts(cls.reqAnti),
  };
  return cls.prep;
}

/** Runs one scheduling cycle for a pod of `cls`; binds nothing. */
export function scheduleOne(state: ClusterState, cls: PodClass, opts: SchedulerOptions): ScheduleResult {
  const order = state.order;
  const N = order.length;
  const cache = state.ensureStatic(cls);
  state.refreshExisting(cls);
  const cycle = state.cycle;
  cycle.ensure(N + 1);
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
  preFilterHardSpread(state, cls, prep);
  const {
    hardSpreadDomains,
    existingAntiAffinityDomains,
    existingAntiAffinityCounts,
    requiredAntiAffinityDomains,
    requiredAntiAffinityCounts,
  } = prep;
  const hardSpreadCounts = prep.hardSpreadCounts;
  const hardSpreadLimits = prep.hardSpreadLimits;
  let affinityTotal = 0;
  for (const t of cls.reqAffinity) affinityTotal += t.counter.total;
  const firstOfGroup = cls.reqAffinity.length > 0 && affinityTotal === 0 && cls.selfMatchesAllAffinity;
  const requiredAffinityDomains = firstOfGroup ? NO_TERMS : prep.requiredAffinityDomains;
  const requiredAffinityCounts = firstOfGroup ? NO_TERMS : prep.requiredAffinityCounts;

  const f = cycle.filter;
  f.staticFailures = cache.fails;
  f.toleratesUnschedulable = cls.tolUnschedulable;
  f.toleratesUnreachable = cls.tolUnreachable;
  // The first term of each kind apart, the others for the helpers: V8 compiles a node loop with
  // inner loops over arrays of typed arrays (and labelled continues out of them) 2-3x slower, and
  // most pods have at most one term of each kind.
  const hardTerms = hardSpreadDomains.length;
  f.hardSpreadTerms = hardTerms;
  f.spread0Domains = hardTerms > 0 ? hardSpreadDomains[0]! : EMPTY;
  f.spread0Counts = hardTerms > 0 ? hardSpreadCounts[0]! : EMPTY;
  f.spread0Limit = hardTerms > 0 ? hardSpreadLimits[0]! : 0;
  f.hardSpreadDomains = hardSpreadDomains;
  f.hardSpreadCounts = hardSpreadCounts;
  f.hardSpreadLimits = hardSpreadLimits;
  const existingAntiTerms = existingAntiAffinityDomains.length;
  f.existingAntiTerms = existingAntiTerms;
  f.existingAnti0Domains = existingAntiTerms > 0 ? existingAntiAffinityDomains[0]! : EMPTY;
  f.existingAnti0Counts = existingAntiTerms > 0 ? existingAntiAffinityCounts[0]! : EMPTY;
  f.existingAntiAffinityDomains = existingAntiAffinityDomains;
  f.existingAntiAffinityCounts = existingAntiAffinityCounts;
  const affinityTerms = requiredAffinityDomains.length;
  f.affinityTerms = affinityTerms;
  f.affinity0Domains = affinityTerms > 0 ? requiredAffinityDomains[0]! : EMPTY;
  f.affinity0Counts = affinityTerms > 0 ? requiredAffinityCounts[0]! : EMPTY;
  f.requiredAffinityDomains = requiredAffinityDomains;
  f.requiredAffinityCounts = requiredAffinityCounts;
  const antiTerms = requiredAntiAffinityDomains.length;
  f.antiTerms = antiTerms;
  f.anti0Domains = antiTerms > 0 ? requiredAntiAffinityDomains[0]! : EMPTY;
  f.anti0Counts = antiTerms > 0 ? requiredAntiAffinityCounts[0]! : EMPTY;
  f.requiredAntiAffinityDomains = requiredAntiAffinityDomains;
  f.requiredAntiAffinityCounts = requiredAntiAffinityCounts;

  const spec = cls.spec;
  const numToFind = opts.worstCase ? N : numFeasibleNodesToFind(N, opts.percentageOfNodesToScore);
  const feasible = cycle.feasible;
  const nFeasible = findFeasibleNodes(
    state,
    f,
    spec.cpu,
    spec.memory,
    spec.hostPorts.length > 0 ? spec.hostPorts : undefined,
    numToFind,
    feasible,
  );

  if (nFeasible === 0) {
    const reasons = diagnose(state, cls, prep, firstOfGroup);
    const message = fitErrorMessage(N, reasons);
    cls.failMemo = { freedEpoch: state.freedEpoch, counts: dependent, message, reasons };
    return { node: -1, message, reasons };
  }
  if (nFeasible === 1) return { node: feasible[0]! };

  const total = cycle.total;
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

/**
 * Filter: each node in NodeTree order from where the previous cycle stopped, each plugin's kernel in
 * the profile's order (the node-static ones, NodeName, TaintToleration's static taints and
 * NodeAffinity, read from the class's cache at once), until numToFind feasible nodes are in
 * `feasible`; moves nextStartNodeIndex past the nodes it processed and returns how many fit. Its own
 * function, on PreFilter's output and plain numbers only, so that it is compiled once: the PreFilter
 * code before it meets objects of many shapes (pod specs, term lists) and is recompiled as it does.
 */
function findFeasibleNodes(
  state: ClusterState,
  f: FilterInput,
  cpu: number,
  mem: number,
  hostPorts: readonly HostPort[] | undefined,
  numToFind: number,
  feasible: Int32Array,
): number {
  const order = state.order;
  const N = order.length;
  const { unschedulable, unreachable, podCount, allocPods, allocCpu, reqCpu, allocMemory, reqMemory } = state;
  const fails = f.staticFailures;
  const toleratesUnschedulable = f.toleratesUnschedulable;
  const toleratesUnreachable = f.toleratesUnreachable;
  const hardTerms = f.hardSpreadTerms;
  const spread0Domains = f.spread0Domains;
  const spread0Counts = f.spread0Counts;
  const spread0Limit = f.spread0Limit;
  const existingAntiTerms = f.existingAntiTerms;
  const existingAnti0Domains = f.existingAnti0Domains;
  const existingAnti0Counts = f.existingAnti0Counts;
  const affinityTerms = f.affinityTerms;
  const affinity0Domains = f.affinity0Domains;
  const affinity0Counts = f.affinity0Counts;
  const antiTerms = f.antiTerms;
  const anti0Domains = f.anti0Domains;
  const anti0Counts = f.anti0Counts;
  let nFeasible = 0;
  const start = N > 0 ? state.nextStartNodeIndex % N : 0;
  let processed = 0;
  for (let i = 0; i < N; i++) {
    let idx = start + i;
    if (idx >= N) idx -= N;
    const n = order[idx]!;
    processed++;
    if (rejectsUnschedulable(unschedulable[n]!, toleratesUnschedulable)) continue;
    if (fails[n] !== 0) continue;
    if (rejectsDynamicTaint(unreachable[n]!, toleratesUnreachable)) continue;
    if (hostPorts !== undefined) {
      const used = state.ports[n];
      if (used && portsConflict(hostPorts, used)) continue;
    }
    if (
      insufficientResources(
        cpu,
        mem,
        podCount[n]!,
        allocPods[n]!,
        allocCpu[n]!,
        reqCpu[n]!,
        allocMemory[n]!,
        reqMemory[n]!,
      ) !== 0
    )
      continue;
    if (hardTerms > 0) {
      if (rejectsSkew(spread0Domains[n]!, spread0Counts, spread0Limit)) continue;
      if (hardTerms > 1 && rejectsAnySkew(f.hardSpreadDomains, f.hardSpreadCounts, f.hardSpreadLimits, n, 1))
        continue;
    }
    // InterPodAffinity: the existing pods' anti-affinity, then the pod's affinity and anti-affinity.
    if (existingAntiTerms > 0) {
      if (rejectsAntiAffinityTerm(existingAnti0Domains[n]!, existingAnti0Counts)) continue;
      if (
        existingAntiTerms > 1 &&
        rejectsAnyAntiAffinityTerm(f.existingAntiAffinityDomains, f.existingAntiAffinityCounts, n, 1)
      )
        continue;
    }
    if (affinityTerms > 0) {
      if (rejectsAffinityTerm(affinity0Domains[n]!, affinity0Counts)) continue;
      if (
        affinityTerms > 1 &&
        rejectsAnyAffinityTerm(f.requiredAffinityDomains, f.requiredAffinityCounts, n, 1)
      )
        continue;
    }
    if (antiTerms > 0) {
      if (rejectsAntiAffinityTerm(anti0Domains[n]!, anti0Counts)) continue;
      if (
        antiTerms > 1 &&
        rejectsAnyAntiAffinityTerm(f.requiredAntiAffinityDomains, f.requiredAntiAffinityCounts, n, 1)
      )
        continue;
    }
    feasible[nFeasible++] = n;
    if (nFeasible >= numToFind) break;
  }
  if (N > 0) state.nextStartNodeIndex = (start + processed) % N;
  return nFeasible;
}

/** kube-scheduler's reason string of each counted Rejection code (FitError lists these). */
const REASON_TEXT: Record<number, string> = {
  [Rejection.NodeUnschedulable]: REASON_UNSCHEDULABLE,
  [Rejection.NodeName]: REASON_NODE_NAME,
  [Rejection.TaintTolerationUnreachable]: taintReason(UNREACHABLE_NOSCHEDULE),
  [Rejection.NodeAffinity]: REASON_NODE_AFFINITY,
  [Rejection.NodePorts]: REASON_NODE_PORTS,
  [Rejection.NodeResourcesFitTooManyPods]: REASON_TOO_MANY_PODS,
  [Rejection.NodeResourcesFitCpu]: REASON_INSUFFICIENT_CPU,
  [Rejection.NodeResourcesFitMemory]: REASON_INSUFFICIENT_MEMORY,
  [Rejection.PodTopologySpreadMissingLabel]: REASON_SPREAD_MISSING_LABEL,
  [Rejection.PodTopologySpread]: REASON_SPREAD,
  [Rejection.InterPodAffinity]: REASON_AFFINITY,
  [Rejection.InterPodAntiAffinity]: REASON_ANTI_AFFINITY,
  [Rejection.InterPodExistingAntiAffinity]: REASON_EXISTING_ANTI_AFFINITY,
};

/** The PreFilter state one node's Filter reads (the fused loop in scheduleOne reads the same). */
interface FilterEnv {
  state: ClusterState;
  cls: PodClass;
  prep: Prepared;
  requiredAffinityDomains: Int32Array[];
  requiredAffinityCounts: Int32Array[];
  hard: number;
}

/**
 * The first filter plugin that rejects node n, in the profile's order (NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity),
 * or FITS.
 */
function filterNode(env: FilterEnv, n: number): FilterCode {
  const { state, cls, prep } = env;
  const fails = cls.cache.fails[n]!;
  if (rejectsUnschedulable(state.unschedulable[n]!, cls.tolUnschedulable)) return Rejection.NodeUnschedulable;
  if (fails & StaticFailure.NodeName) return Rejection.NodeName;
  if (fails & StaticFailure.TaintToleration) return Rejection.TaintToleration;
  if (rejectsDynamicTaint(state.unreachable[n]!, cls.tolUnreachable))
    return Rejection.TaintTolerationUnreachable;
  if (fails & StaticFailure.NodeAffinity) return Rejection.NodeAffinity;
  const spec = cls.spec;
  if (spec.hostPorts.length > 0) {
    const used = state.ports[n];
    if (used && portsConflict(spec.hostPorts, used)) return Rejection.NodePorts;
  }
  if (insufficientResourcesOn(state, cls, n) !== 0) return Rejection.NodeResourcesFit;
  if (env.hard > 0) {
    const { hardSpreadDomains, hardSpreadCounts, hardSpreadLimits } = prep;
    for (let j = 0; j < hardSpreadDomains.length; j++)
      if (hardSpreadDomains[j]![n]! < 0) return Rejection.PodTopologySpreadMissingLabel;
    if (rejectsAnySkew(hardSpreadDomains, hardSpreadCounts, hardSpreadLimits, n))
      return Rejection.PodTopologySpread;
  }
  // satisfyPodAffinity, satisfyPodAntiAffinity, then satisfyExistingPodsAntiAffinity.
  if (rejectsAnyAffinityTerm(env.requiredAffinityDomains, env.requiredAffinityCounts, n))
    return Rejection.InterPodAffinity;
  if (rejectsAnyAntiAffinityTerm(prep.requiredAntiAffinityDomains, prep.requiredAntiAffinityCounts, n))
    return Rejection.InterPodAntiAffinity;
  if (rejectsAnyAntiAffinityTerm(prep.existingAntiAffinityDomains, prep.existingAntiAffinityCounts, n))
    return Rejection.InterPodExistingAntiAffinity;
  return FITS;
}

/** NodeResourcesFit's kernel on node n for a pod of cls: the Insufficient bits. */
function insufficientResourcesOn(state: ClusterState, cls: PodClass, n: number): number {
  return insufficientResources(
    cls.spec.cpu,
    cls.spec.memory,
    state.podCount[n]!,
    state.allocPods[n]!,
    state.allocCpu[n]!,
    state.reqCpu[n]!,
    state.allocMemory[n]!,
    state.reqMemory[n]!,
  );
}

/** PreFilter afresh for a pod of cls (the counts may have moved since the last cycle). */
function preFilter(state: ClusterState, cls: PodClass): FilterEnv {
  state.ensureStatic(cls);
  state.refreshExisting(cls);
  const prep = prepare(state, cls);
  preFilterHardSpread(state, cls, prep);
  return filterEnvOf(state, cls, prep, isFirstOfGroup(cls));
}

function isFirstOfGroup(cls: PodClass): boolean {
  let affinityTotal = 0;
  for (const t of cls.reqAffinity) affinityTotal += t.counter.total;
  return cls.reqAffinity.length > 0 && affinityTotal === 0 && cls.selfMatchesAllAffinity;
}

function filterEnvOf(state: ClusterState, cls: PodClass, prep: Prepared, firstOfGroup: boolean): FilterEnv {
  return {
    state,
    cls,
    prep,
    requiredAffinityDomains: firstOfGroup ? NO_TERMS : prep.requiredAffinityDomains,
    requiredAffinityCounts: firstOfGroup ? NO_TERMS : prep.requiredAffinityCounts,
    hard: cls.hardSpread.length,
  };
}

/** The Filter phase of one cycle for a pod of cls on node n alone: FITS or the rejecting reason. */
export function filterOneNode(state: ClusterState, cls: PodClass, n: number): FilterCode {
  return filterNode(preFilter(state, cls), n);
}

/** Each existing node's filter status (FITS or a reason), in NodeTree order, for a pod of cls. */
export function filterEveryNode(state: ClusterState, cls: PodClass): { node: number; code: FilterCode }[] {
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
  firstOfGroup: boolean,
): Map<string, number> {
  const counts = state.cycle.reasonCounts;
  counts.fill(0);
  // Static taints name the taint, so their reasons stay strings (nodes with taints are few).
  const taints = new Map<string, number>();
  const env = filterEnvOf(state, cls, prep, firstOfGroup);
  for (const n of state.order) {
    const code = filterNode(env, n);
    if (code === FITS) continue;
    if (code === Rejection.TaintToleration) {
      const r = cls.cache.taintReasons.get(n)!;
      taints.set(r, (taints.get(r) ?? 0) + 1);
    } else if (code === Rejection.NodeResourcesFit) {
      // fitsRequest reports every insufficient resource.
      const lacks = insufficientResourcesOn(state, cls, n);
      if (lacks & Insufficient.Pods) counts[Rejection.NodeResourcesFitTooManyPods]!++;
      if (lacks & Insufficient.Cpu) counts[Rejection.NodeResourcesFitCpu]!++;
      if (lacks & Insufficient.Memory) counts[Rejection.NodeResourcesFitMemory]!++;
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
 * The default profile's scores summed with their weights into `total`. Each plugin's per-node score
 * kernel and NormalizeScore come from its file (node-resources-fit.ts, balanced-allocation.ts,
 * taint-toleration.ts, node-affinity.ts, pod-topology-spread.ts, inter-pod-affinity.ts); this
 * function only fuses them into a few passes over the feasible nodes, the hottest loop of the
 * simulator. Every score is an integer, so the sum does not depend on the order in which the plugins
 * are added.
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
  const cycle = state.cycle;
  const preferredRaw = cycle.interPodAffinity;
  const pluginScores = cycle.pluginScores;
  const ignored = cycle.spreadIgnored;
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
  const softTerms = cls.softSpread.length;
  const requireAll = !cls.systemDefaulted;
  const doms = prep.softSpreadDomains;
  const spreadOn = softTerms > 0;
  let ignoredCount = 0;
  const seen0 =
    spreadOn && !state.perNodeKey[cls.softSpread[0]!.key]
      ? cycle.marks(state.domainValues[cls.softSpread[0]!.key]!.length)
      : undefined;
  const stamp0 = cycle.stamp;
  const seen1 =
    softTerms > 1 && !state.perNodeKey[cls.softSpread[1]!.key]
      ? cycle.marks2(state.domainValues[cls.softSpread[1]!.key]!.length)
      : undefined;
  const stamp1 = cycle.stamp2;
  const dom0 = spreadOn ? doms[0]! : EMPTY;
  const dom1 = softTerms > 1 ? doms[1]! : EMPTY;
  let size0 = 0;
  let size1 = 0;
  // InterPodAffinity (preferred terms of both sides, existing pods' required affinity).
  const preferredTermDomains = prep.preferredTermDomains;
  const preferredTerms = preferredTermDomains.length;
  const preferredTermCounts = prep.preferredTermCounts;
  const preferredTermWeights = prep.preferredTermWeights;
  const preferred0Domains = preferredTerms > 0 ? preferredTermDomains[0]! : EMPTY;
  const preferred0Counts = preferredTerms > 0 ? preferredTermCounts[0]! : EMPTY;
  const preferred0Weight = preferredTerms > 0 ? preferredTermWeights[0]! : 0;
  let preferredMin = Infinity;
  let preferredMax = -Infinity;

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
      t = WEIGHTS.NodeResourcesFit * leastAllocatedScore(nzCpu[n]! + pnzCpu, ac, nzMemory[n]! + pnzMem, am);
      if (balanced)
        t +=
          WEIGHTS.NodeResourcesBalancedAllocation *
          balancedAllocationScore(reqCpu[n]! + pCpu, ac, reqMemory[n]! + pMem, am);
      if (cached) {
        cachedVersion[n] = version;
        cachedScore[n] = t;
      }
    }
    total[i] = t;
    if (spreadOn) {
      let ig = 0;
      if (requireAll) {
        if (dom0[n]! < 0 || (softTerms > 1 && dom1[n]! < 0) || (softTerms > 2 && lacksAnyKeyFrom(doms, n, 2)))
          ig = 1;
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
    if (preferredTerms > 0) {
      let sc = 0;
      const d0 = preferred0Domains[n]!;
      if (d0 >= 0) sc += preferredTermScore(preferred0Weight, preferred0Counts[d0]!);
      if (preferredTerms > 1)
        sc = preferredTermsScoreFrom(
          preferredTermDomains,
          preferredTermCounts,
          preferredTermWeights,
          n,
          sc,
          1,
        );
      preferredRaw[i] = sc;
      if (sc < preferredMin) preferredMin = sc;
      if (sc > preferredMax) preferredMax = sc;
    }
  }
  // TaintToleration (constant when no node has PreferNoSchedule taints) and preferred NodeAffinity.
  if (cache.preferNoSchedule) {
    const pns = cache.preferNoSchedule;
    for (let i = 0; i < F; i++) pluginScores[i] = pns[feasible[i]!]!;
    normalizeTaintScores(pluginScores, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.TaintToleration * pluginScores[i]!;
  }
  if (cache.nodeAffinity) {
    const na = cache.nodeAffinity;
    for (let i = 0; i < F; i++) pluginScores[i] = na[feasible[i]!]!;
    normalizeNodeAffinityScores(pluginScores, F);
    for (let i = 0; i < F; i++) total[i]! += WEIGHTS.NodeAffinity * pluginScores[i]!;
  }
  // Pass 2: the spread score per node (scoreForCount summed over the constraints, rounded), then
  // NormalizeScore: 100 * (max + min - s) / max, ignored nodes 0, all 100 when max is 0.
  if (spreadOn) {
    const weights = prep.softSpreadWeights;
    const counts = cycle.softCounts;
    const adds = prep.softSpreadMaxSkewsMinusOne;
    for (let j = 0; j < softTerms; j++) {
      const c = cls.softSpread[j]!;
      counts[j] =
        prep.softSpreadSharedCounts[j] ??
        spreadState(state, cls, c, requireAll ? prep.softSpreadKeys : [c.key], false).counts;
      weights[j] = topologyNormalizingWeight(
        state.perNodeKey[cls.softSpread[j]!.key] ? F - ignoredCount : j === 0 ? size0 : j === 1 ? size1 : 0,
      );
    }
    // More than two constraints: count the domains of the others the plain way.
    for (let j = 2; j < softTerms; j++) {
      if (state.perNodeKey[cls.softSpread[j]!.key]) continue;
      const dom = doms[j]!;
      const seen = cycle.marks(state.domainValues[cls.softSpread[j]!.key]!.length);
      const stamp = cycle.stamp;
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
    const cnt1 = softTerms > 1 ? counts[1]! : EMPTY;
    const w1 = softTerms > 1 ? weights[1]! : 0;
    const add1 = softTerms > 1 ? adds[1]! : 0;
    for (let i = 0; i < F; i++) {
      if (ignored[i]) continue;
      const n = feasible[i]!;
      // scoreForCount summed in constraint order: count * weight + (maxSkew - 1); per-node keys
      // have d = n.
      let sc = 0;
      const d0 = dom0[n]!;
      if (d0 >= 0) sc += spreadTerm(cnt0[d0]!, w0, add0);
      if (softTerms > 1) {
        const d1 = dom1[n]!;
        if (d1 >= 0) sc += spreadTerm(cnt1[d1]!, w1, add1);
        if (softTerms > 2) sc = spreadTermsFrom(doms, counts, weights, adds, n, sc, 2);
      }
      const r = Math.round(sc);
      pluginScores[i] = r;
      if (r < min) min = r;
      if (r > max) max = r;
    }
    // The raw scores are integers (rounded) in [min, max]: when that range is small, each normalized
    // value is computed once into a table instead of one division per node.
    const range = max - min;
    if (max !== 0 && range <= SPREAD_TABLE_SIZE - 1) {
      const table = cycle.spreadTable;
      for (let v = 0; v <= range; v++) table[v] = normalizedSpreadScore(min + v, min, max);
      for (let i = 0; i < F; i++)
        if (!ignored[i]) total[i]! += WEIGHTS.PodTopologySpread * table[pluginScores[i]! - min]!;
    } else {
      for (let i = 0; i < F; i++) {
        const s = ignored[i] ? 0 : normalizedSpreadScore(pluginScores[i]!, min, max);
        total[i]! += WEIGHTS.PodTopologySpread * s;
      }
    }
  }
  // InterPodAffinity NormalizeScore: min-max to [0, 100]; nothing when every raw score is 0.
  if (preferredTerms > 0 && (preferredMin !== 0 || preferredMax !== 0)) {
    const diff = preferredMax - preferredMin;
    if (diff > 0)
      for (let i = 0; i < F; i++)
        total[i]! +=
          WEIGHTS.InterPodAffinity * normalizedInterPodAffinityScore(preferredRaw[i]!, preferredMin, diff);
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
