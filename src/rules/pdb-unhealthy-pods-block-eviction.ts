import { getAt } from '../model/json-path.js';
import { matches, stringMap } from '../model/labels.js';
import { isPodReady } from '../model/live.js';
import type { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import { isInt32 } from '../model/number-text.js';
import { pdbStatus } from '../model/pdb-status.js';
import { defineRule } from './define-rule.js';

/** Whether the scan saw a pod of the PDB's that is Running, not Ready and not being deleted. */
function hasRunningNotReadyPod(index: ObjectIndex, pdb: K8sObject, listed: ReadonlySet<string>): boolean {
  const selector = index.pdbSelector(pdb);
  if (!selector || !listed.has('Pod')) return false;
  return index
    .inNamespace(pdb.namespace, 'Pod')
    .some(
      (pod) =>
        getAt(pod.raw, '/status/phase') === 'Running' &&
        !isPodReady(pod) &&
        getAt(pod.raw, '/metadata/deletionTimestamp') === undefined &&
        matches(selector, stringMap(getAt(pod.raw, '/metadata/labels'))),
    );
}

export default defineRule({
  id: 'pdb-unhealthy-pods-block-eviction',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A PDB short of healthy pods, without unhealthyPodEvictionPolicy: AlwaysAllow, refuses to evict even its pods that are not Ready.',
  fixSafety: {
    kind: 'none',
    reason:
      'a cluster fact (the PDB status): set spec.unhealthyPodEvictionPolicy: AlwaysAllow in the manifest the PDB is applied from',
  },
  messages: {
    blocked: {
      headline: 'PDB {{pdb}} blocks the eviction of its pods that are not Ready',
      detail:
        'Only {{healthy}} of its {{expected}} pods are healthy and it wants {{desired}}, and spec.unhealthyPodEvictionPolicy is unset (IfHealthyBudget): while the budget is short, the Eviction API refuses to evict even the pods that serve nothing, so a drain or upgrade of their nodes hangs until they become Ready. Set spec.unhealthyPodEvictionPolicy: AlwaysAllow so that pods that are not Ready can be evicted whatever the budget.',
    },
    noneWanted: {
      headline: 'PDB {{pdb}} blocks the eviction of its pods that are not Ready',
      detail:
        'None of its {{expected}} pods is healthy, and spec.unhealthyPodEvictionPolicy is unset (IfHealthyBudget), which lets a pod that is not Ready go only while the budget wants at least one healthy pod: this one wants 0, so the eviction is charged to the budget, which has 0 disruptions left, and a drain or upgrade of their nodes hangs until a pod becomes Ready. Set spec.unhealthyPodEvictionPolicy: AlwaysAllow so that pods that are not Ready can be evicted whatever the budget.',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster) return;
    for (const pdb of index.pdbs) {
      if (pdb.apiVersion !== 'policy/v1') continue;
      // IfHealthyBudget written out is a decision; only the default is reported.
      const policy = getAt(pdb.raw, '/spec/unhealthyPodEvictionPolicy');
      if (policy !== undefined && policy !== null) continue;
      const status = pdbStatus(pdb);
      // A status older than the spec describes a budget that no longer exists.
      if (!status?.current) continue;
      const { currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected } = status;
      if (healthy === undefined || desired === undefined || expected === undefined) continue;
      if (![healthy, desired, expected].every(isInt32)) continue;
      // Some pods must be unhealthy, or every eviction is pdb-no-disruptions-allowed's.
      if (healthy >= expected) continue;
      // IfHealthyBudget evicts a Running pod that is not Ready only while currentHealthy ≥ desiredHealthy
      // > 0 (pkg/registry/core/pod/storage/eviction.go); otherwise the eviction is charged to the budget,
      // whose disruptionsAllowed is currentHealthy − desiredHealthy, floored at 0. Checked on v1.36
      // (test/e2e/pdb-eviction.test.ts): 0 of 2 healthy, 1 wanted, 429, and with AlwaysAllow 201; one
      // replica under maxUnavailable: 1, not Ready (0 wanted, 0 healthy), 429.
      if (desired > 0 ? healthy >= desired : healthy > 0) continue;
      // Wanting 0, the budget is also at 0 while its only pods are Pending (a drained pod's replacement),
      // which the Eviction API never checks against a budget: only a Running pod that is not Ready hangs.
      if (desired === 0 && !hasRunningNotReadyPod(index, pdb, settings.cluster.listed)) continue;
      report({
        object: pdb,
        path: '/spec',
        messageId: desired > 0 ? 'blocked' : 'noneWanted',
        data: { pdb: pdb.name, healthy, expected, desired },
      });
    }
  },
});
