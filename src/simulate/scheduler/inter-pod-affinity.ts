/**
 * InterPodAffinity: required affinity / anti-affinity of the incoming pod, the existing pods' required
 * anti-affinity (symmetry), and the preferred terms of both sides as a score.
 */
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** Weight given to an existing pod's required affinity term that matches the incoming pod (hardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/**
 * Required affinity: every term needs a matching pod in the node's domain — except for the first pod of
 * a group that selects itself, which may go anywhere while no pod in the cluster matches any term.
 */
export function affinitySatisfied(
  countsInNodeDomain: readonly number[],
  nodeHasKeys: readonly boolean[],
  totalMatchesInCluster: number,
  podMatchesAllItsTerms: boolean,
): boolean {
  let ok = true;
  for (let i = 0; i < countsInNodeDomain.length; i++) {
    if (!nodeHasKeys[i] || countsInNodeDomain[i]! <= 0) {
      ok = false;
      break;
    }
  }
  if (ok) return true;
  return totalMatchesInCluster === 0 && podMatchesAllItsTerms;
}

/** Required anti-affinity: no term may have a matching pod in the node's domain. */
export function antiAffinitySatisfied(countsInNodeDomain: readonly number[]): boolean {
  return countsInNodeDomain.every((c) => c <= 0);
}

/** NormalizeScore: min-max to [0, 100]; all equal → 0. */
export function normalizeInterPodAffinityScores(
  scores: number[] | Float64Array,
  length = scores.length,
): void {
  if (length === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    if (scores[i]! < min) min = scores[i]!;
    if (scores[i]! > max) max = scores[i]!;
  }
  const diff = max - min;
  for (let i = 0; i < length; i++) {
    scores[i] = diff > 0 ? Math.trunc(100 * ((scores[i]! - min) / diff)) : 0;
  }
}
