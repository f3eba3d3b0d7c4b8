import { getAt } from '../model/json-path.js';
import { formatSelector } from '../model/labels.js';
import { BUILTIN_WORKLOAD_KINDS, describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';
import { maySelectAny, podsUnknown } from './utils/selects-pods.js';

/** How many workloads the detail lists as what the namespace's pods look like. */
const LISTED = 3;

export default defineRule({
  id: 'service-selects-nothing',
  category: 'health',
  defaultSeverity: 'warning',
  guide: '(service routing)',
  description:
    'A Service whose selector selects the pods of no workload in its namespace has no endpoints: its traffic goes nowhere.',
  needs: BUILTIN_WORKLOAD_KINDS,
  fixSafety: {
    kind: 'none',
    reason: 'decide which workload the Service is for: its selector selects none in the input',
  },
  messages: {
    noMatch: {
      headline: 'Service {{name}} selects no pods in {{namespace}}',
      detail:
        'Its selector {{selector}} matches the pod template labels of none of the {{workloads}} in namespace {{namespace}}, so the Service has no endpoints and nothing answers its traffic. Make spec.selector match the pod labels of the workload it is for: {{pods}}.',
    },
  },
  check({ index, report }) {
    // Decided once per namespace: whether its pods may come from objects kubeha cannot see.
    const unseen = new Map<string, boolean>();
    for (const svc of index.ofKind('Service')) {
      // An ExternalName Service is a DNS alias: its selector, if any, is not used.
      if (getAt(svc.raw, '/spec/type') === 'ExternalName') continue;
      // Without a selector the endpoints are written by hand (or by another controller).
      const selector = index.serviceSelector(svc);
      if (!selector) continue;
      const ns = svc.namespace;
      const here = index.workloadsIn(ns);
      // As pdb-matches-nothing: with no workload of its namespace in the input, the pods it is for are
      // defined elsewhere; with an operator's resource or a Rollout whose template is elsewhere, they
      // may be pods no manifest shows.
      if (here.length === 0) continue;
      let hidden = unseen.get(ns);
      if (hidden === undefined)
        unseen.set(ns, (hidden = index.mayHaveUnknownPods(ns) || here.some((w) => podsUnknown(index, w))));
      if (hidden || maySelectAny(index, selector, new Set(here.map((w) => w.kind)), ns)) continue;
      const pods = here.slice(0, LISTED).map((w) => {
        const shown = Object.entries(index.templateOf(w).podLabels).map(([k, v]) => `${k}=${v}`);
        return `${describe(w)} has ${shown.length ? shown.join(',') : 'no labels'}`;
      });
      if (here.length > LISTED) pods.push(`${here.length - LISTED} more`);
      report({
        object: svc,
        path: '/spec/selector',
        messageId: 'noMatch',
        data: {
          name: svc.name,
          namespace: ns,
          workloads: here.length === 1 ? '1 workload' : `${here.length} workloads`,
          selector: formatSelector(selector),
          pods: pods.join('; '),
        },
      });
    }
  },
});
