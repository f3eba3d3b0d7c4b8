/**
 * PodTopologySpread: hard constraints (DoNotSchedule) filter, soft ones (ScheduleAnyway) and the
 * scheduler's system default constraints score.
 */
import type { ClusterState, PodClass, Prepared, PreparedSpread } from '../cluster-state.js';
import { HOSTNAME_LABEL, ZONE_LABEL } from '../types.js';
import { StaticFailure } from './filter-status.js';
import { MAX_NODE_SCORE } from './normalize.js';

export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
export const REASON_SPREAD_MISSING_LABEL = REASON_SPREAD + ' (missing required label)';

/** DefaultingType: System — for pods selected by a Service, ReplicaSet, StatefulSet or ReplicationController. */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: HOSTNAME_LABEL, maxSkew: 3 },
  { topologyKey: ZONE_LABEL, maxSkew: 5 },
] as const;

/**
 * The global minimum the skew is measured against: the smallest count over eligible domains, or 0
 * when there are fewer eligible domains than minDomains.
 */
export function minMatchNum(counts: Iterable<number>, minDomains: number): number {
  let min = Infinity;
  let domains = 0;
  for (const c of counts) {
    domains++;
    if (c < min) min = c;
  }
  if (domains < minDomains || domains === 0) return 0;
  return min;
}

/** 'existing matching num' + 'self-match (1 or 0)' - 'global minimum' <= maxSkew. */
export function skewAllows(matchNum: number, selfMatch: boolean, minMatch: number, maxSkew: number): boolean {
  return matchNum + (selfMatch ? 1 : 0) - minMatch <= maxSkew;
}

/**
 * Filter kernel for one hard constraint on one node: the node lacks the key (domain < 0), or its
 * domain's matching count exceeds the limit. The limit folds skewAllows into one comparison:
 * matchNum + selfMatch - minMatch > maxSkew  <=>  matchNum > maxSkew + minMatch - selfMatch.
 */
export function rejectsSkew(domain: number, counts: Int32Array, limit: number): boolean {
  return domain < 0 || counts[domain]! > limit;
}

/** skewAllows as one bound on the domain's matching count (see rejectsSkew). */
export function skewLimit(maxSkew: number, minMatch: number, selfMatch: boolean): number {
  return maxSkew + minMatch - (selfMatch ? 1 : 0);
}

/** Filter kernel for every hard constraint from `from` on (domains per node, counts per domain). */
export function rejectsAnySkew(
  domainsOf: readonly Int32Array[],
  counts: readonly Int32Array[],
  limits: readonly number[],
  n: number,
  from = 0,
): boolean {
  for (let j = from; j < domainsOf.length; j++)
    if (rejectsSkew(domainsOf[j]![n]!, counts[j]!, limits[j]!)) return true;
  return false;
}

/** Score: whether node n lacks the key of any constraint from `from` on (the pod's own constraints then ignore it). */
export function lacksAnyKeyFrom(domainsOf: readonly Int32Array[], n: number, from: number): boolean {
  for (let j = from; j < domainsOf.length; j++) if (domainsOf[j]![n]! < 0) return true;
  return false;
}

/** ln(size + 2): a topology with more domains weighs its counts more. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return spreadTerm(count, weight, maxSkew - 1);
}

/** Score kernel for one constraint on one node: scoreForCount with maxSkew - 1 computed once per cycle. */
export function spreadTerm(count: number, weight: number, maxSkewMinusOne: number): number {
  return count * weight + maxSkewMinusOne;
}

/** The score terms of the constraints from `from` on, added to `score` in constraint order (a missing key adds nothing). */
export function spreadTermsFrom(
  domainsOf: readonly Int32Array[],
  counts: readonly Int32Array[],
  weights: Float64Array,
  maxSkewsMinusOne: readonly number[],
  n: number,
  score: number,
  from: number,
): number {
  for (let j = from; j < domainsOf.length; j++) {
    const d = domainsOf[j]![n]!;
    if (d >= 0) score += spreadTerm(counts[j]![d]!, weights[j]!, maxSkewsMinusOne[j]!);
  }
  return score;
}

/** Score kernel of NormalizeScore for one scored node (see normalizeSpreadScores). */
export function normalizedSpreadScore(score: number, min: number, max: number): number {
  return max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - score)) / max);
}

/**
 * NormalizeScore: fewer matching pods is better; 100 * (max + min - s) / max, ignored nodes (missing a
 * topology key) score 0, and every node scores 100 when no node has a matching pod.
 */
export function normalizeSpreadScores(
  scores: number[] | Float64Array,
  ignored: ArrayLike<boolean | number>,
  length = scores.length,
): void {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < length; i++) {
    if (ignored[i]) continue;
    const s = scores[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  for (let i = 0; i < length; i++) {
    if (ignored[i]) {
      scores[i] = 0;
      continue;
    }
    scores[i] = normalizedSpreadScore(scores[i]!, min, max);
  }
}

/**
 * PreFilter: a hard or soft constraint's matching pods per domain over the nodes it includes, and
 * the global minimum the skew is measured against (kube-scheduler's preFilterState, which the
 * plugin's PreFilter builds once per cycle).
 */
export interface SpreadState {
  c: PreparedSpread;
  /** Matching pods per domain (value index), or per node for per-node keys. */
  counts: Int32Array;
  perNode: boolean;
  min: number;
}

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
  if (c.honorAffinity && fails & StaticFailure.NodeAffinity) return false;
  if (c.honorTaints) {
    if (fails & StaticFailure.TaintToleration) return false;
    if (state.unreachable[n] && !cls.tolUnreachable) return false;
    if (state.unschedulable[n] && !cls.tolUnschedulable) return false;
  }
  return true;
}

/** Whether the counters' own per-domain counts are the counts a constraint sees (no policy narrows the nodes). */
export function isFast(
  state: ClusterState,
  cls: PodClass,
  c: PreparedSpread,
  keys: readonly number[],
): boolean {
  if (c.honorAffinity && cls.hasRequiredNodeAffinity) return false;
  if (c.honorTaints) return false;
  for (const kk of keys) if (state.missingKey[kk] !== 0) return false;
  return true;
}

/** Per-domain matching counts over the nodes a constraint includes, and the global minimum. */
export function spreadState(
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

/**
 * PreFilter of the hard constraints for one cycle: each one's matching counts per domain and its skew
 * limit (rejectsSkew), into the class's prepared arrays the Filter kernels read.
 */
export function preFilterHardSpread(state: ClusterState, cls: PodClass, prep: Prepared): void {
  const constraints = cls.hardSpread;
  for (let j = 0; j < constraints.length; j++) {
    const h = spreadState(state, cls, constraints[j]!, prep.hardSpreadKeys, true);
    prep.hardSpreadCounts[j] = h.counts;
    prep.hardSpreadLimits[j] = skewLimit(h.c.maxSkew, h.min, h.c.selfMatch);
  }
}
