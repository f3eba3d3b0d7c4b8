import type { Toleration } from '../pod-spec.js';
import type { Taint } from '../types.js';
import { defaultNormalizeScore } from './normalize.js';

/** v1.Toleration.ToleratesTaint: an empty key with Exists tolerates everything; an empty effect every effect. */
export function tolerates(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return t.value === taint.value;
}

export function toleratesAny(
  tolerations: readonly Toleration[],
  taint: Pick<Taint, 'key' | 'value' | 'effect'>,
): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/** The first NoSchedule or NoExecute taint the pod does not tolerate (FindMatchingUntoleratedTaint). */
export function firstUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!toleratesAny(tolerations, taint)) return taint;
  }
  return undefined;
}

/**
 * Filter kernel for the taints that come and go during a scenario (unreachable: NoSchedule, added by
 * the node lifecycle controller): rejects the node while it has the taint and the pod does not
 * tolerate it. Static taints are matched once per node (firstUntoleratedTaint).
 */
export function rejectsDynamicTaint(nodeHasTaint: number | boolean, podTolerates: boolean): boolean {
  return !!nodeHasTaint && !podTolerates;
}

export function taintReason(taint: Pick<Taint, 'key' | 'value'>): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
}

export function filterTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): string | null {
  const t = firstUntoleratedTaint(taints, tolerations);
  return t ? taintReason(t) : null;
}

/** Score: the number of PreferNoSchedule taints the pod does not tolerate (tolerations with effect "" or PreferNoSchedule). */
export function countIntolerablePreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): number {
  const relevant = tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
  let n = 0;
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !toleratesAny(relevant, taint)) n++;
  }
  return n;
}

/** NormalizeScore: reversed, so the node with the fewest intolerable taints scores 100. */
export function normalizeTaintScores(scores: number[] | Float64Array, length = scores.length): void {
  defaultNormalizeScore(scores, true, 100, length);
}

/** The DefaultTolerationSeconds admission plugin: pods tolerate unreachable / not-ready nodes for 300 s. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';

/**
 * How long a pod stays bound to an unreachable node before the taint manager evicts it: its own
 * toleration of `node.kubernetes.io/unreachable:NoExecute`, else the admission default (300 s);
 * Infinity when it tolerates the taint forever.
 */
export function unreachableEvictionSeconds(tolerations: readonly Toleration[]): number {
  const taint = { key: UNREACHABLE_TAINT_KEY, value: '', effect: 'NoExecute' as const };
  let found = false;
  let min = Infinity;
  for (const t of tolerations) {
    if (!tolerates(t, taint)) continue;
    found = true;
    min = Math.min(min, t.tolerationSeconds === undefined ? Infinity : Math.max(0, t.tolerationSeconds));
  }
  return found ? min : DEFAULT_TOLERATION_SECONDS;
}
