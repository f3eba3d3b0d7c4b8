import type { LabelSelector } from '../../model/labels.js';
import type { ObjectIndex } from '../../model/object-index.js';
import { CONTROLLER_POD_LABELS, type Workload, type WorkloadKind } from '../../model/workload.js';

/**
 * What a selector may select among a namespace's pods, known only from their workloads' templates:
 * shared by the rules that report selectors selecting nothing (PDBs, Services).
 */

/** An Argo Rollout whose workloadRef template is not in the input: its pod labels are unknown. */
export function podsUnknown(index: ObjectIndex, w: Workload): boolean {
  return w.templateRef !== undefined && index.templateOf(w) === w;
}

/**
 * Whether the selector may select the pods of any of the namespace's workloads, given only their
 * templates: the labels a controller adds to each pod (pod-template-hash, the StatefulSet pod name…)
 * are not in a template, so the selector's requirements on those keys are left out, per workload kind.
 */
export function maySelectAny(
  index: ObjectIndex,
  selector: LabelSelector,
  kinds: ReadonlySet<WorkloadKind>,
  namespace: string,
): boolean {
  for (const kind of kinds) {
    const generated = new Set(CONTROLLER_POD_LABELS[kind]?.keys ?? []);
    const relaxed: LabelSelector = {
      matchLabels: Object.fromEntries(
        Object.entries(selector.matchLabels).filter(([k]) => !generated.has(k)),
      ),
      matchExpressions: selector.matchExpressions.filter((e) => !generated.has(e.key)),
    };
    if (index.workloadsSelectedBy(namespace, relaxed).some((w) => w.kind === kind)) return true;
  }
  return false;
}
