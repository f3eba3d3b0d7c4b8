import { BUILTIN_WORKLOAD_KINDS } from '../model/workload.js';
import { getAt } from '../model/json-path.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

/** How many names of the target kind the message lists. */
const LISTED = 5;

interface Reference {
  object: K8sObject;
  /** "Canary web (Flagger)", "Rollout web". */
  what: string;
  kind: string;
  name: string;
  /** JSON pointer of the reference (…/kind and …/name below it). */
  at: string;
  consequence: string;
}

export default defineRule({
  id: 'canary-target-missing',
  category: 'updates',
  defaultSeverity: 'warning',
  guide: 'Use Canary deployments',
  description: 'A canary whose target workload is not there never runs.',
  needs: BUILTIN_WORKLOAD_KINDS,
  fixSafety: { kind: 'none', reason: 'decide which workload the canary is for: name one that exists' },
  messages: {
    otherKind: {
      headline: '{{what}} targets {{kind}} {{name}}: wrong kind',
      detail:
        'No {{kind}} {{name}} is in namespace {{namespace}}, but a {{actual}} {{name}} is; with the wrong kind, {{consequence}}. Set {{field}}.kind: {{actual}}.',
    },
    missing: {
      headline: '{{what}} targets missing {{kind}} {{name}}',
      detail:
        'No {{kind}} {{name}} is in namespace {{namespace}} ({{existing}}): {{consequence}}. Fix {{field}}.name (the target must be in the same namespace).',
    },
  },
  check({ index, report }) {
    for (const ref of references(index)) {
      const ns = ref.object.namespace;
      const ofKind = index.inNamespace(ns, ref.kind);
      if (ofKind.some((o) => o.name === ref.name)) continue;
      // Without any object of that kind here, the target is most likely applied from elsewhere.
      if (!index.hasKindIn(ns, ref.kind)) continue;
      const field = ref.at.slice(1).replace(/\//g, '.');
      const base = {
        what: ref.what,
        kind: ref.kind,
        name: ref.name,
        namespace: ns,
        field,
        consequence: ref.consequence,
      };
      const sameName = index
        .workloadsIn(ns)
        .find((w) => w.object.name === ref.name && w.object !== ref.object);
      if (sameName) {
        report({
          object: ref.object,
          path: `${ref.at}/kind`,
          messageId: 'otherKind',
          data: { ...base, actual: sameName.kind },
        });
        continue;
      }
      const names = ofKind.map((o) => o.name);
      const shown = names.slice(0, LISTED).join(', ') + (names.length > LISTED ? ', …' : '');
      report({
        object: ref.object,
        path: `${ref.at}/name`,
        messageId: 'missing',
        data: { ...base, existing: `${ref.kind}s there: ${shown}` },
      });
    }
  },
});

/** Flagger Canaries' targetRef and Argo Rollouts' workloadRef, in input order. */
function references(index: ObjectIndex): Reference[] {
  const out: Reference[] = [];
  for (const o of index.objects) {
    const isCanary = o.kind === 'Canary' && o.apiVersion.startsWith('flagger.app/');
    const isRollout = o.kind === 'Rollout' && o.apiVersion.startsWith('argoproj.io/');
    if (!isCanary && !isRollout) continue;
    const at = isCanary ? '/spec/targetRef' : '/spec/workloadRef';
    const ref = getAt(o.raw, at);
    if (!isJsonObject(ref) || typeof ref['name'] !== 'string') continue;
    // Argo's WorkloadRef and Flagger's targetRef both require kind; without it there is nothing to check.
    if (typeof ref['kind'] !== 'string') continue;
    out.push({
      object: o,
      what: isCanary ? `Canary ${o.name} (Flagger)` : `Rollout ${o.name}`,
      kind: ref['kind'],
      name: ref['name'],
      at,
      consequence: isCanary
        ? 'Flagger has no workload to analyse or promote'
        : 'the Rollout has no pod template and runs no pods',
    });
  }
  return out;
}
