import { getAt } from '../model/json-path.js';
import { formatSelector, isEmptySelector, parseSelector } from '../model/labels.js';
import { describe, type WorkloadKind, BUILTIN_WORKLOAD_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';
import { maySelectAny, podsUnknown } from './utils/selects-pods.js';

/** How many workloads the "no match" message lists as what the namespace's pods look like. */
const LISTED = 3;

export default defineRule({
  id: 'pdb-matches-nothing',
  category: 'disruptions',
  defaultSeverity: 'warning',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description: 'A PDB whose selector selects no workload protects nothing.',
  needs: BUILTIN_WORKLOAD_KINDS,
  fixSafety: {
    kind: 'none',
    reason: 'decide which workload the PDB is for: its selector selects none in the input',
  },
  messages: {
    noSelector: {
      headline: 'PDB {{name}} has no spec.selector, so it protects nothing',
      detail:
        'Without a selector it selects no pods, and a drain evicts them as if it did not exist. Set spec.selector to the pod labels of the workload it is for (matchLabels: { app: … }).',
    },
    emptyV1beta1: {
      headline: 'PDB {{name}} ({{apiVersion}}) has an empty selector: it selects no pods',
      detail:
        'In {{apiVersion}} an empty selector selects no pods, so the PDB protects nothing (in policy/v1, `{}` selects every pod in the namespace). Set spec.selector to the pod labels of the workload it is for, and move to policy/v1.',
    },
    noMatch: {
      headline: 'PDB {{name}} selects none of the {{workloads}} in {{namespace}}',
      detail:
        'Its selector {{selector}} selects no pods of the {{workloads}} in namespace {{namespace}}, so it protects nothing. Make spec.selector match the pod template labels of the workload it is for: {{pods}}.',
    },
  },
  check({ index, report }) {
    const unknownPods = new Map<string, boolean>();
    // The workload kinds of each namespace, found once: a namespace has hundreds of workloads and PDBs.
    const kindsIn = new Map<string, ReadonlySet<WorkloadKind>>();
    for (const pdb of index.pdbs) {
      const data = { name: pdb.name, apiVersion: pdb.apiVersion, namespace: pdb.namespace };
      const raw = parseSelector(getAt(pdb.raw, '/spec/selector'));
      // A nil selector matches nothing in every API version (metav1.LabelSelectorAsSelector(nil)).
      if (!raw) {
        report({ object: pdb, path: '/spec/selector', messageId: 'noSelector', data });
        continue;
      }
      const selector = index.pdbSelector(pdb);
      if (!selector) {
        if (isEmptySelector(raw))
          report({ object: pdb, path: '/spec/selector', messageId: 'emptyV1beta1', data });
        continue;
      }
      const here = index.workloadsIn(pdb.namespace);
      // With no workload of its namespace in the input, the pods it is for are defined elsewhere.
      if (here.length === 0) continue;
      let unknown = unknownPods.get(pdb.namespace);
      if (unknown === undefined)
        unknownPods.set(pdb.namespace, (unknown = here.some((w) => podsUnknown(index, w))));
      let kinds = kindsIn.get(pdb.namespace);
      if (kinds === undefined) kindsIn.set(pdb.namespace, (kinds = new Set(here.map((w) => w.kind))));
      if (unknown || maySelectAny(index, selector, kinds, pdb.namespace)) continue;
      const pods = here.slice(0, LISTED).map((w) => {
        const labels = index.templateOf(w).podLabels;
        const shown = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
        return `${describe(w)} has ${shown.length ? shown.join(',') : 'no labels'}`;
      });
      if (here.length > LISTED) pods.push(`${here.length - LISTED} more`);
      report({
        object: pdb,
        path: '/spec/selector',
        messageId: 'noMatch',
        data: {
          ...data,
          count: here.length,
          workloads: here.length === 1 ? '1 workload' : `${here.length} workloads`,
          selector: formatSelector(selector),
          pods: pods.join('; '),
        },
        // A custom resource of the namespace may make the pods it is for (an operator's): not an orphan for sure.
        ...(index.mayHaveUnknownPods(pdb.namespace) ? { severity: 'info' as const } : {}),
      });
    }
  },
});
