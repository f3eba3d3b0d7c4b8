/** Score helpers shared by the score plugins (kube-scheduler's pluginhelper). */
export const MAX_NODE_SCORE = 100;

/**
 * DefaultNormalizeScore: scales scores to [0, maxPriority] by the maximum; `reverse` flips them
 * (TaintToleration: fewer intolerable taints is better). All-zero scores stay 0, or become max when reversed.
 */
export function defaultNormalizeScore(
  scores: number[] | Float64Array,
  reverse: boolean,
  maxPriority = MAX_NODE_SCORE,
  length = scores.length,
): void {
  let max = 0;
  for (let i = 0; i < length; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) for (let i = 0; i < length; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < length; i++) {
    let s = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
