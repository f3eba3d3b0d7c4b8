import { getAt } from '../model/json-path.js';
import { isJsonObject } from '../model/types.js';
import { describe, REPLICATED_KINDS, type Workload } from '../model/workload.js';
import { PriorityClasses, type PriorityInfo } from '../simulate/priority.js';
import { defineRule } from './define-rule.js';

/** The highest value the API server accepts for a PriorityClass that is not a system-* one. */
const USER_PRIORITY_MAX = 1_000_000_000;

/**
 * A workload is critical when a PodDisruptionBudget selects its pods: the manifests themselves say its
 * availability matters. Its pods without a priorityClassName get the default priority. That matters
 * once priorities are in play, when another workload's pods name a class above it: kube-scheduler's
 * DefaultPreemption evicts pods of strictly lower priority to place those, and never lets a pod preempt
 * its equals, so on a full cluster after a failure the critical workload is the one that gives up room.
 */
export default defineRule({
  id: 'missing-priority-class',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A workload a PodDisruptionBudget protects, whose pods name no PriorityClass while other pods name a higher one: on a full cluster after a failure, those preempt it and its replacements wait.',
  needs: ['PodDisruptionBudget'],
  fixSafety: {
    kind: 'none',
    reason:
      'choose the PriorityClass: its value ranks the workload against every other in the cluster, which the manifests of one application do not show',
  },
  messages: {
    missing: {
      headline: '{{workload}} has a PodDisruptionBudget but no PriorityClass',
      detail:
        'PodDisruptionBudget {{pdb}} marks it as critical, but its pods name no priorityClassName, so they get {{priority}}, below {{outranked}}. When a node or zone is lost on a full cluster, kube-scheduler preempts lower-priority pods to place the higher ones, and never preempts pods of equal priority for its replacements, so they stay Pending until capacity comes back. Create a PriorityClass with a value at least as high as the workloads it must not yield to (preemptionPolicy: PreemptLowerPriority) and set spec.template.spec.priorityClassName to it.',
    },
  },
  check({ index, report }) {
    const priorities = new PriorityClasses(index);
    const fallback = priorities.of({});
    let top: { workload: Workload; info: PriorityInfo } | undefined;
    for (const w of index.workloads) {
      const info = priorities.of(index.templateOf(w).podSpec);
      // A class the input does not define counts as unknown, not as 0: it may rank anywhere.
      if (info.className === undefined || info === fallback) continue;
      // The system-* classes (above the 1 000 000 000 a user class may have) are the cluster's own
      // components, which every live cluster runs and no user class can outrank: not a choice to judge.
      if (info.value > USER_PRIORITY_MAX) continue;
      if (!top || info.value > top.info.value) top = { workload: w, info };
    }
    if (!top || top.info.value <= fallback.value) return;
    const outranked = `${describe(top.workload)} (PriorityClass ${top.info.className}, ${top.info.value})`;
    // A scan lists the PriorityClasses; where it could not, no class a workload names is known, so
    // nothing above reached here.
    const priority = fallback.className
      ? `priority ${fallback.value} (globalDefault class ${fallback.className})`
      : 'priority 0';
    for (const w of index.workloads) {
      if (!REPLICATED_KINDS.includes(w.kind) || hasControllerOwner(w)) continue;
      // An Argo Rollout whose workloadRef template is not in the input: its pod spec is unknown.
      if (w.templateRef && index.templateOf(w) === w) continue;
      if (w.replicas === 0) continue;
      const template = index.templateOf(w);
      const named = getAt(template.podSpec, '/priorityClassName');
      if (typeof named === 'string' && named !== '') continue;
      const pdb = index.pdbsFor(w)[0];
      if (!pdb) continue;
      report({
        object: template.object,
        path: template.podSpecPath,
        messageId: 'missing',
        data: { workload: describe(w), pdb: pdb.name, priority, outranked },
      });
    }
  },
});

function hasControllerOwner(w: Workload): boolean {
  const owners = getAt(w.object.raw, '/metadata/ownerReferences');
  return Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['controller'] === true);
}
