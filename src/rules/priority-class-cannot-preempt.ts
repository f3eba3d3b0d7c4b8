import { getAt } from '../model/json-path.js';
import { isJsonObject } from '../model/types.js';
import { describe, REPLICATED_KINDS, type Workload } from '../model/workload.js';
import { PriorityClasses } from '../simulate/priority.js';
import { defineRule } from './define-rule.js';

/**
 * A critical workload (a PodDisruptionBudget selects its pods) that names a PriorityClass which cannot
 * win it room: one with preemptionPolicy Never (its pods are queued first but never evict anyone), or
 * one whose value is below the globalDefault class (its pods rank below every pod that names no class).
 * Only classes defined among the manifests (or listed by a scan) are judged.
 */
export default defineRule({
  id: 'priority-class-cannot-preempt',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A workload a PodDisruptionBudget protects names a PriorityClass that cannot preempt (preemptionPolicy Never) or ranks below the globalDefault: after a failure on a full cluster its replacements wait.',
  needs: ['PodDisruptionBudget'],
  fixSafety: {
    kind: 'none',
    reason:
      "a PriorityClass's value and preemptionPolicy cannot be changed once it exists: choose or create the class the workload should name",
  },
  messages: {
    never: {
      headline: '{{workload}} names PriorityClass {{class}}, which never preempts',
      detail:
        "PodDisruptionBudget {{pdb}} marks it as critical, but the class's preemptionPolicy is Never: its pods (priority {{value}}) are queued ahead of lower priorities yet never evict one, so when a node or zone is lost on a full cluster its replacements stay Pending while lower-priority pods keep the room. The API server refuses to change preemptionPolicy on an existing class: create one with preemptionPolicy: PreemptLowerPriority (the default) and set spec.template.spec.priorityClassName to it.",
    },
    belowDefault: {
      headline: '{{workload}} names PriorityClass {{class}}, below the globalDefault',
      detail:
        'PodDisruptionBudget {{pdb}} marks it as critical, but PriorityClass {{class}} has value {{value}}, below {{default}} ({{defaultValue}}), the globalDefault class every pod that names no class gets. Its pods rank below all of those: on a full cluster after a failure kube-scheduler preempts them to place classless pods, and their own replacements cannot preempt any classless pod. Name a class whose value is at least {{defaultValue}} (a class keeps its value for life: create a new one if none fits).',
    },
  },
  check({ index, report }) {
    if (index.ofKind('PriorityClass').length === 0) return;
    const priorities = new PriorityClasses(index);
    const fallback = priorities.of({});
    for (const w of index.workloads) {
      if (!REPLICATED_KINDS.includes(w.kind) || hasControllerOwner(w)) continue;
      // An Argo Rollout whose workloadRef template is not in the input: its pod spec is unknown.
      if (w.templateRef && index.templateOf(w) === w) continue;
      if (w.replicas === 0) continue;
      const template = index.templateOf(w);
      const named = getAt(template.podSpec, '/priorityClassName');
      if (typeof named !== 'string' || named === '') continue;
      const info = priorities.of(template.podSpec);
      // Only a class the input defines (or a built-in one, which always preempts) is known.
      if (info.className !== named) continue;
      const pdb = index.pdbsFor(w)[0];
      if (!pdb) continue;
      const base = { workload: describe(w), pdb: pdb.name, class: named, value: info.value };
      const path = `${template.podSpecPath}/priorityClassName`;
      if (info.preemptNever) {
        report({ object: template.object, path, messageId: 'never', data: base });
      } else if (fallback.className !== undefined && info.value < fallback.value) {
        report({
          object: template.object,
          path,
          messageId: 'belowDefault',
          data: { ...base, default: fallback.className, defaultValue: fallback.value },
        });
      }
    }
  },
});

function hasControllerOwner(w: Workload): boolean {
  const owners = getAt(w.object.raw, '/metadata/ownerReferences');
  return Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['controller'] === true);
}
