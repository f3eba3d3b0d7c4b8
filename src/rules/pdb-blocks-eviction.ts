import { oneUnavailable } from './fixes/pdb-budget.js';
import { scaledValue } from '../model/intstr.js';
import { getAt } from '../model/json-path.js';
import { defineRule } from './define-rule.js';
import { lowestPodCount, scalingHpa } from './utils/pdb-pod-count.js';

export default defineRule({
  id: 'pdb-blocks-eviction',
  category: 'disruptions',
  defaultSeverity: 'error',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description: 'A PDB that allows no voluntary disruption blocks every node drain and cluster upgrade.',
  fixSafety: { kind: 'safe' },
  messages: {
    minAvailable: {
      headline: 'PDB {{pdb}} allows 0 evictions: minAvailable {{min}}',
      detail:
        'minAvailable {{min}} of {{pods}} ({{workloads}}) keeps every pod, so every node drain and upgrade blocks on these pods. Use maxUnavailable: 1{{advice}}.',
    },
    maxUnavailable: {
      headline: 'PDB {{pdb}} allows 0 evictions: maxUnavailable {{value}}',
      detail:
        'maxUnavailable {{value}} for {{workloads}} lets no pod go, so every node drain and upgrade blocks on these pods. Use maxUnavailable: 1{{advice}}.',
    },
    noBudget: {
      headline: 'PDB {{pdb}} allows 0 evictions: it sets neither minAvailable nor maxUnavailable',
      detail:
        'The disruption controller then expects no pods (condition DisruptionAllowed False, reason InsufficientPods) and allows 0 disruptions, so every node drain and upgrade blocks on the pods of {{workloads}}. Set maxUnavailable: 1{{advice}}.',
    },
  },
  // maxUnavailable: 1 lets a drain evict one pod at a time whatever the replica count (the messages' advice).
  fix: (target) => oneUnavailable(target.object),
  check({ index, report }) {
    for (const pdb of index.pdbs) {
      const selector = index.pdbSelector(pdb);
      if (!selector) continue;
      const selected = index.workloadsSelectedBy(pdb.namespace, selector);
      const counts = selected.map((w) => lowestPodCount(index, w));
      const scaledBy = selected.flatMap((w) => {
        const hpa = scalingHpa(index, w);
        return hpa ? [`HPA ${hpa.name}`] : [];
      });
      // Without a known pod count (DaemonSets, nothing selected) the budget cannot be judged statically.
      if (selected.length === 0 || counts.some((c) => c === undefined)) continue;
      const expected = counts.reduce<number>((a, b) => a + (b ?? 0), 0);
      if (expected === 0) continue;
      const workloads = selected.map((w) => `${w.kind} ${w.object.name}`).join(', ');
      const advice = expected < 2 ? ` and run at least 2 replicas` : '';
      const maxUnavailable = getAt(pdb.raw, '/spec/maxUnavailable');
      const minAvailable = getAt(pdb.raw, '/spec/minAvailable');
      if (maxUnavailable !== undefined && maxUnavailable !== null) {
        const allowed = scaledValue(maxUnavailable, expected, true);
        if (allowed === 0) {
          report({
            object: pdb,
            path: '/spec/maxUnavailable',
            messageId: 'maxUnavailable',
            data: { pdb: pdb.name, value: String(maxUnavailable), workloads, advice },
          });
        }
        continue;
      }
      if (minAvailable === undefined || minAvailable === null) {
        // A policy/v1 budget with neither field: the controller counts 0 expected pods and allows 0
        // disruptions (checked on kube-controller-manager v1.36 with the Eviction API: 429, "does not allow
        // evicting pods currently", condition InsufficientPods; test/e2e/pdb-eviction.test.ts).
        if (pdb.apiVersion === 'policy/v1')
          report({
            object: pdb,
            path: '/spec',
            messageId: 'noBudget',
            data: { pdb: pdb.name, workloads, advice },
          });
        continue;
      }
      const min = scaledValue(minAvailable, expected, true);
      if (min !== undefined && min >= expected) {
        report({
          object: pdb,
          path: '/spec/minAvailable',
          messageId: 'minAvailable',
          data: {
            pdb: pdb.name,
            min: String(minAvailable),
            replicas: expected,
            pods: `${expected} ${expected === 1 ? 'replica' : 'replicas'}${scaledBy.length ? ` (the floor of ${scaledBy.join(', ')})` : ''}`,
            workloads,
            advice,
          },
        });
      }
    }
  },
});
