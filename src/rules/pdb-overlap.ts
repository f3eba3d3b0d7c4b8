import type { K8sObject } from '../model/types.js';
import { describe, type Workload } from '../model/workload.js';
import { defineRule } from './define-rule.js';

/** The eviction subresource's answer for such pods (pkg/registry/core/pod/storage/eviction.go). */
const EVICTION_ERROR =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export default defineRule({
  id: 'pdb-overlap',
  category: 'disruptions',
  defaultSeverity: 'error',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description: 'Pods selected by two PDBs cannot be evicted: the eviction API refuses them.',
  needs: ['PodDisruptionBudget'],
  fixSafety: {
    kind: 'none',
    reason: 'decide which of the PDBs should govern these pods, and narrow or delete the other',
  },
  messages: {
    overlap:
      'PDB {{name}} and PDB {{other}} both select the pods of {{workloads}}: the eviction API refuses to evict a pod with more than one PodDisruptionBudget ("{{error}}"), so every drain and node upgrade blocks on them. Keep one PDB per workload: narrow one of the selectors, or delete one of the PDBs.',
  },
  check({ index, report }) {
    const pdbs = index.pdbs;
    const order = new Map(pdbs.map((p, i) => [p, i]));
    // One entry per pair of PDBs (earlier, later), with the workloads both select.
    const pairs = new Map<string, { earlier: K8sObject; later: K8sObject; workloads: Workload[] }>();
    for (const w of index.workloads) {
      // A workload scaled to zero has no pods to evict (an Argo workloadRef template is reported via its Rollout).
      if (w.declaredReplicas === 0) continue;
      const selecting = [...index.pdbsFor(w)].sort((a, b) => order.get(a)! - order.get(b)!);
      for (let j = 1; j < selecting.length; j++) {
        for (let i = 0; i < j; i++) {
          const earlier = selecting[i]!;
          const later = selecting[j]!;
          const key = `${order.get(earlier)}:${order.get(later)}`;
          let pair = pairs.get(key);
          if (!pair) pairs.set(key, (pair = { earlier, later, workloads: [] }));
          pair.workloads.push(w);
        }
      }
    }
    const sorted = [...pairs.values()].sort(
      (a, b) => order.get(a.later)! - order.get(b.later)! || order.get(a.earlier)! - order.get(b.earlier)!,
    );
    for (const { earlier, later, workloads } of sorted) {
      report({
        object: later,
        path: '/spec/selector',
        messageId: 'overlap',
        data: {
          name: later.name,
          other: earlier.name,
          workloads: workloads.map(describe).join(', '),
          error: EVICTION_ERROR,
        },
      });
    }
  },
});
