import { getAt } from '../model/json-path.js';
import { isInt32 } from '../model/number-text.js';
import { pdbStatus } from '../model/pdb-status.js';
import { defineRule } from './define-rule.js';

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
      // IfHealthyBudget evicts a Running pod that is not Ready only while currentHealthy ≥ desiredHealthy
      // (checked on v1.36: 1 of 3 healthy, 2 wanted, eviction of a not-Ready pod answered 429;
      // with AlwaysAllow, 201). Some pods must be unhealthy, or every eviction is pdb-no-disruptions-allowed's.
      if (healthy >= desired || healthy >= expected) continue;
      report({
        object: pdb,
        path: '/spec',
        messageId: 'blocked',
        data: { pdb: pdb.name, healthy, expected, desired },
      });
    }
  },
});
