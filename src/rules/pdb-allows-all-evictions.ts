import { notFixed } from './fixes/build.js';
import { oneUnavailable } from './fixes/pdb-budget.js';
import { scaledValue } from '../model/intstr.js';
import { getAt } from '../model/json-path.js';
import { defineRule } from './define-rule.js';
import { lowestPodCount } from './utils/pdb-pod-count.js';

export default defineRule({
  id: 'pdb-allows-all-evictions',
  category: 'disruptions',
  defaultSeverity: 'warning',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A PDB whose budget lets a drain evict every pod it selects (maxUnavailable: 1 on one replica, minAvailable: 0) protects nothing.',
  fixSafety: { kind: 'safe' },
  messages: {
    allPods: {
      headline: 'PDB {{pdb}} lets a drain evict all {{pods}} of its pods at once',
      detail:
        '{{budget}} of {{count}} ({{workloads}}) keeps no pod available, so a node drain, upgrade or consolidation may take the workload down as if there were no budget. {{fix}}.',
    },
  },
  fix(target) {
    // With one pod, any budget either lets its only pod go or blocks every drain: a second replica comes first.
    if (Number(target.data['pods']) < 2)
      return notFixed(
        "run at least 2 replicas first (single-replica's fix): with one pod, a budget either lets a drain evict it or blocks every drain",
      );
    return oneUnavailable(target.object);
  },
  check({ index, report }) {
    for (const pdb of index.pdbs) {
      const selector = index.pdbSelector(pdb);
      if (!selector) continue;
      const selected = index.workloadsSelectedBy(pdb.namespace, selector);
      const counts = selected.map((w) => lowestPodCount(index, w));
      // Without a known pod count (DaemonSets, nothing selected) the budget cannot be judged statically.
      if (selected.length === 0 || counts.some((c) => c === undefined)) continue;
      // Judged at the workloads' floor (an HPA's minReplicas), where a budget in pods is loosest.
      const expected = counts.reduce<number>((a, b) => a + (b ?? 0), 0);
      if (expected === 0) continue;
      const maxUnavailable = getAt(pdb.raw, '/spec/maxUnavailable');
      const minAvailable = getAt(pdb.raw, '/spec/minAvailable');
      let path: string;
      let budget: string;
      // The disruption controller rounds both percentages up (GetScaledValueFromIntOrPercent).
      if (maxUnavailable !== undefined && maxUnavailable !== null) {
        const allowed = scaledValue(maxUnavailable, expected, true);
        if (allowed === undefined || allowed < expected) continue;
        [path, budget] = ['/spec/maxUnavailable', `maxUnavailable ${String(maxUnavailable)}`];
      } else if (minAvailable !== undefined && minAvailable !== null) {
        if (scaledValue(minAvailable, expected, true) !== 0) continue;
        [path, budget] = ['/spec/minAvailable', `minAvailable ${String(minAvailable)}`];
      } else continue; // Neither field: pdb-blocks-eviction's (it then allows 0 disruptions).
      report({
        object: pdb,
        path,
        messageId: 'allPods',
        data: {
          pdb: pdb.name,
          pods: expected,
          budget,
          count: `${expected} ${expected === 1 ? 'replica' : 'replicas'}`,
          workloads: selected.map((w) => `${w.kind} ${w.object.name}`).join(', '),
          fix:
            expected < 2
              ? 'Run at least 2 replicas, and keep maxUnavailable: 1 so that a drain evicts one pod at a time'
              : 'Set maxUnavailable: 1 so that a drain evicts one pod at a time',
        },
      });
    }
  },
});
