import { getAt } from '../../model/json-path.js';
import type { ObjectIndex } from '../../model/object-index.js';
import { isInt32 } from '../../model/number-text.js';
import type { K8sObject } from '../../model/types.js';
import type { Workload } from '../../model/workload.js';

/**
 * The fewest pods the workload runs: its HPA's minReplicas when one scales it, else its replicas. A
 * PodDisruptionBudget is judged at that floor, where its budget is tightest (or loosest).
 */
export function lowestPodCount(index: ObjectIndex, w: Workload): number | undefined {
  if (w.kind === 'Pod') return 1;
  const hpa = scalingHpa(index, w);
  if (hpa) {
    const min = getAt(hpa.raw, '/spec/minReplicas');
    return typeof min === 'number' ? min : 1;
  }
  return w.replicas;
}

/**
 * The HPA that sets the workload's floor. One whose minReplicas the API server cannot decode (1e308,
 * 2^31, 1.5) is refused (invalid-object's finding): the workload then runs its own replicas.
 */
export function scalingHpa(index: ObjectIndex, w: Workload): K8sObject | undefined {
  const hpa = index.hpasFor(w)[0];
  const min = hpa && getAt(hpa.raw, '/spec/minReplicas');
  return typeof min === 'number' && !isInt32(min) ? undefined : hpa;
}
