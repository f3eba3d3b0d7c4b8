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

/** Filter kernel, one required affinity term (satisfyPodAffinity): the node needs a matching pod in its domain. */
export function rejectsAffinityTerm(domain: number, counts: Int32Array): boolean {
  return domain < 0 || counts[domain]! <= 0;
}

/**
 * Filter kernel, one required anti-affinity term of the pod (satisfyPodAntiAffinity) or of an existing
 * pod (satisfyExistingPodsAntiAffinity): a matching pod in the node's domain rejects the node.
 */
export function rejectsAntiAffinityTerm(domain: number, counts: Int32Array): boolean {
  return domain >= 0 && counts[domain]! > 0;
}

/** Filter kernel for the required affinity terms from `from` on. */
export function rejectsAnyAffinityTerm(
  domainsOf: readonly Int32Array[],
  counts: readonly Int32Array[],
  n: number,
  from = 0,
): boolean {
  for (let j = from; j < domainsOf.length; j++)
    if (rejectsAffinityTerm(domainsOf[j]![n]!, counts[j]!)) return true;
  return false;
}

/** Filter kernel for the required anti-affinity terms from `from` on. */
export function rejectsAnyAntiAffinityTerm(
  domainsOf: readonly Int32Array[],
  counts: readonly Int32Array[],
  n: number,
  from = 0,
): boolean {
  for (let j = from; j < domainsOf.length; j++)
    if (rejectsAntiAffinityTerm(domainsOf[j]![n]!, counts[j]!)) return true;
  return false;
}

/** Score kernel, one preferred term (either side) on one node: its weight per matching pod in the node's domain. */
export function preferredTermScore(weight: number, matching: number): number {
  return weight * matching;
}

/** The preferred terms from `from` on, added to `score` in term order (a node without the key adds nothing). */
export function preferredTermsScoreFrom(
  domainsOf: readonly Int32Array[],
  counts: readonly Int32Array[],
  weights: readonly number[],
  n: number,
  score: number,
  from: number,
): number {
  for (let j = from; j < domainsOf.length; j++) {
    const d = domainsOf[j]![n]!;
    if (d >= 0) score += preferredTermScore(weights[j]!, counts[j]![d]!);
  }
  return score;
}

/** Score kernel of NormalizeScore for one node: min-max to [0, 100] (diff = max - min > 0). */
export function normalizedInterPodAffinityScore(score: number, min: number, diff: number): number {
  return Math.trunc(100 * ((score - min) / diff));
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
    scores[i] = diff > 0 ? normalizedInterPodAffinityScore(scores[i]!, min, diff) : 0;
  }
}
