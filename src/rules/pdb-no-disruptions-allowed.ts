import { getAt } from '../model/json-path.js';
import { condition, describeCondition } from '../model/live.js';
import { pdbStatus } from '../model/pdb-status.js';
import type { K8sObject } from '../model/types.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

/** The change that lets one pod go, by the field the budget uses: a sentence whose final period the message adds. */
function fixFor(pdb: K8sObject, expected: number): { path: string; fix: string } {
  const maxUnavailable = getAt(pdb.raw, '/spec/maxUnavailable');
  if (maxUnavailable !== undefined && maxUnavailable !== null)
    return {
      path: '/spec/maxUnavailable',
      fix: `Set maxUnavailable: 1 (it is ${String(maxUnavailable)})`,
    };
  const minAvailable = getAt(pdb.raw, '/spec/minAvailable');
  const more = expected < 2 ? 'run at least 2 replicas and ' : '';
  return {
    path: '/spec/minAvailable',
    fix: `minAvailable ${String(minAvailable ?? '')} keeps every pod: ${more}replace it with maxUnavailable: 1, which follows the replica count`,
  };
}

export default defineRule({
  id: 'pdb-no-disruptions-allowed',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A PDB whose pods are all healthy but that still allows 0 disruptions blocks every node drain and upgrade.',
  fixSafety: {
    kind: 'none',
    reason: "a cluster fact (the PDB's status): bring the pods back to Ready; no file to edit",
  },
  messages: {
    tooTight: {
      headline: 'PDB {{pdb}} allows 0 disruptions with all {{expected}} pods healthy',
      detail:
        'All {{healthy}} of its {{expected}} pods are healthy and it wants {{desired}} healthy, so every drain of a node running them hangs. {{fix}}.',
    },
    syncFailed: {
      headline: 'PDB {{pdb}} allows 0 disruptions: the disruption controller cannot compute it',
      detail:
        'The disruption controller reports {{reason}}, so every eviction of its pods is refused. Select pods of one controller with a scale subresource, or use an integer minAvailable.',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster) return;
    for (const pdb of index.pdbs) {
      const status = pdbStatus(pdb);
      if (status?.disruptionsAllowed !== 0) continue;
      // A status older than the spec describes a budget that no longer exists.
      if (!status.current) continue;
      const allowedCondition = condition(pdb, 'DisruptionAllowed');
      if (allowedCondition?.status === 'False' && allowedCondition.reason === 'SyncFailed') {
        report({
          object: pdb,
          path: allowedCondition.path,
          messageId: 'syncFailed',
          data: { pdb: pdb.name, reason: describeCondition(allowedCondition) },
        });
        continue;
      }
      const { currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected } = status;
      // disruptionsAllowed = currentHealthy − desiredHealthy, floored at 0 (pkg/controller/disruption):
      // with every expected pod healthy, a 0 is the budget itself (desiredHealthy ≥ every pod), not pods
      // that are still starting. No expected pods is a PDB that selects nothing (pdb-matches-nothing).
      if (healthy === undefined || desired === undefined || expected === undefined) continue;
      // Counts or a budget the API server cannot decode (1e308, 2^31) describe no real PDB: never quoted.
      if (![healthy, desired, expected].every(isInt32) || !budgetDecodes(pdb)) continue;
      if (expected <= 0 || healthy < expected) continue;
      const { path, fix } = fixFor(pdb, expected);
      report({
        object: pdb,
        path,
        messageId: 'tooTight',
        data: { pdb: pdb.name, healthy, expected, desired, fix },
      });
    }
  },
});

/** Whether the PDB's minAvailable and maxUnavailable, when they are numbers, are int32s. */
function budgetDecodes(pdb: K8sObject): boolean {
  return ['/spec/minAvailable', '/spec/maxUnavailable'].every((path) => {
    const v = getAt(pdb.raw, path);
    return typeof v !== 'number' || isInt32(v);
  });
}
