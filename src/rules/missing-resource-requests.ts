import { containerRequests, limitRangeRequestDefaults, podLevelRequests } from '../model/autoscaling.js';
import { joinPath } from '../model/json-path.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

const RESOURCES = ['cpu', 'memory'] as const;

export default defineRule({
  id: 'missing-resource-requests',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'Containers without cpu and memory requests cannot be autoscaled on utilisation or placed safely by the scheduler.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide how much cpu and memory the container needs (measure it, or start from a VPA recommendation)',
  },
  messages: {
    one: {
      headline: 'Container {{container}} of {{workload}} has no {{missing}} request',
      detail:
        'The scheduler places it as if it needed none, so nodes get overcommitted and it is evicted first under pressure, and an HPA cannot compute its {{missing}} utilisation. Set resources.requests.{{missing}}.',
    },
    both: {
      headline: 'Container {{container}} of {{workload}} has no cpu or memory request',
      detail:
        'The scheduler places it as if it needed nothing, so nodes get overcommitted and it is evicted first under pressure, and an HPA cannot compute its utilisation. Set resources.requests.cpu and resources.requests.memory.',
    },
  },
  check({ index, settings, report }) {
    const defaultsByNamespace = new Map<string, Set<string>>();
    for (const w of index.workloads) {
      const ns = w.object.namespace;
      let defaults = defaultsByNamespace.get(ns);
      if (!defaults) defaultsByNamespace.set(ns, (defaults = limitRangeRequestDefaults(index, ns)));
      // Pod-level requests size the pod as a whole; its containers share that budget.
      const podLevel = podLevelRequests(w, settings.kubeVersion) ?? new Set<string>();
      for (const c of w.containers) {
        const requested = containerRequests(c, defaults);
        const missing = RESOURCES.filter((r) => !requested.has(r) && !podLevel.has(r));
        if (missing.length === 0) continue;
        report({
          object: w.object,
          path: joinPath(c.path, 'resources', 'requests'),
          messageId: missing.length === 2 ? 'both' : 'one',
          data: { container: c.name, workload: describe(w), missing: missing.join(' and ') },
        });
      }
    }
  },
});
