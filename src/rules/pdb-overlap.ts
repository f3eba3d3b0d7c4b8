import type { ObjectIndex } from '../model/object-index.js';
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
    overlap: {
      headline: 'PDBs {{name}} and {{other}} select the same pods, so none can be evicted',
      detail:
        'Both select the pods of {{workloads}}, and the eviction API refuses to evict a pod with more than one PodDisruptionBudget ("{{error}}"), so every drain and node upgrade blocks on them. Keep one PDB per workload: narrow one of the selectors, or delete one of the PDBs.',
    },
  },
  check({ index, report }) {
    for (const { earlier, later, workloads } of overlappingPdbPairs(index)) {
      report({
        object: later,
        path: '/spec/selector',
        messageId: 'overlap',
        data: { name: later.name, other: earlier.name, workloads: workloads(), error: EVICTION_ERROR },
      });
    }
  },
});

/** Workloads that the same PDBs select (in input order), and those PDBs in input order. */
export interface PdbGroup {
  pdbs: readonly K8sObject[];
  workloads: Workload[];
}

export interface OverlappingPair {
  earlier: K8sObject;
  later: K8sObject;
  /** The groups whose workloads both PDBs select. */
  groups: readonly PdbGroup[];
  /** Those workloads described, in input order, as the message lists them. */
  workloads: () => string;
}

/**
 * Every pair of PDBs that select the pods of one workload, ordered by the later PDB then the earlier
 * (input order). Workloads are grouped by the set of PDBs that select them first, so the pairs of a
 * set are made once per set, not once per workload: many files defining the same workload (one
 * group) cost one pass over the pairs, and each group's workload list is described once.
 */
export function overlappingPdbPairs(index: ObjectIndex): OverlappingPair[] {
  const order = new Map(index.pdbs.map((p, i) => [p, i]));
  const position = new Map(index.workloads.map((w, i) => [w, i]));
  const groups = new Map<string, PdbGroup>();
  for (const w of index.workloads) {
    // A workload scaled to zero has no pods to evict (an Argo workloadRef template is reported via its Rollout).
    if (w.declaredReplicas === 0) continue;
    const found = index.pdbsFor(w);
    if (found.length < 2) continue;
    const pdbs = [...found].sort((a, b) => order.get(a)! - order.get(b)!);
    const key = pdbs.map((p) => order.get(p)).join(',');
    const group = groups.get(key);
    if (group) group.workloads.push(w);
    else groups.set(key, { pdbs, workloads: [w] });
  }
  const described = new Map<PdbGroup, string>();
  const describeGroup = (g: PdbGroup): string => {
    let text = described.get(g);
    if (text === undefined) described.set(g, (text = g.workloads.map(describe).join(', ')));
    return text;
  };
  // One entry per pair of PDBs (earlier, later), with the groups both select.
  const pairs = new Map<number, { earlier: K8sObject; later: K8sObject; groups: PdbGroup[] }>();
  const count = index.pdbs.length;
  for (const group of groups.values()) {
    const { pdbs } = group;
    for (let j = 1; j < pdbs.length; j++) {
      for (let i = 0; i < j; i++) {
        const earlier = pdbs[i]!;
        const later = pdbs[j]!;
        const key = order.get(earlier)! * count + order.get(later)!;
        const pair = pairs.get(key);
        if (pair) pair.groups.push(group);
        else pairs.set(key, { earlier, later, groups: [group] });
      }
    }
  }
  return [...pairs.values()]
    .sort(
      (a, b) => order.get(a.later)! - order.get(b.later)! || order.get(a.earlier)! - order.get(b.earlier)!,
    )
    .map((pair) => ({
      ...pair,
      workloads: () =>
        pair.groups.length === 1
          ? describeGroup(pair.groups[0]!)
          : pair.groups
              .flatMap((g) => g.workloads)
              .sort((a, b) => position.get(a)! - position.get(b)!)
              .map(describe)
              .join(', '),
    }));
}
