import { getAt } from '../model/json-path.js';
import {
  formatSelector,
  isEmptySelector,
  matches,
  parseSelector,
  type LabelSelector,
} from '../model/labels.js';
import type { ObjectIndex } from '../model/object-index.js';
import { CONTROLLER_POD_LABELS, describe, type Workload, BUILTIN_WORKLOAD_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';

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
    noSelector:
      'PDB {{name}} has no spec.selector, so it selects no pods and protects nothing. Set spec.selector to the pod labels of the workload it is for (matchLabels: { app: … }).',
    emptyV1beta1:
      'PDB {{name}} ({{apiVersion}}) has an empty selector, which in {{apiVersion}} selects no pods: it protects nothing (in policy/v1, `{}` selects every pod in the namespace). Set spec.selector to the pod labels of the workload it is for, and move to policy/v1.',
    noMatch:
      'PDB {{name}} selects no pods of the {{workloads}} in namespace {{namespace}} (selector {{selector}}), so it protects nothing. Make spec.selector match the pod template labels of the workload it is for: {{pods}}.',
  },
  check({ index, report }) {
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
      if (here.some((w) => maySelect(index, selector, w))) continue;
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
      });
    }
  },
});

/** Whether the selector may select the workload's pods, given only their template. */
function maySelect(index: ObjectIndex, selector: LabelSelector, w: Workload): boolean {
  const template = index.templateOf(w);
  // An Argo Rollout whose workloadRef template is not in the input: its pod labels are unknown.
  if (w.templateRef && template === w) return true;
  const generated = new Set(CONTROLLER_POD_LABELS[w.kind]?.keys ?? []);
  const relaxed: LabelSelector = {
    matchLabels: Object.fromEntries(Object.entries(selector.matchLabels).filter(([k]) => !generated.has(k))),
    matchExpressions: selector.matchExpressions.filter((e) => !generated.has(e.key)),
  };
  return matches(relaxed, template.podLabels);
}
