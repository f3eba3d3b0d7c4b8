/**
 * PodTopologySpread: hard constraints (DoNotSchedule) filter, soft ones (ScheduleAnyway) and the
 * scheduler's system default constraints score.
 */
import { HOSTNAME_LABEL, ZONE_LABEL } from '../types.js';
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

/** ln(size + 2): a topology with more domains weighs its counts more. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
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
    if (max === 0) {
      scores[i] = MAX_NODE_SCORE;
      continue;
    }
    scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
  }
}
