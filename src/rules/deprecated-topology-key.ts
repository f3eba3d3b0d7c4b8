import { edit, notFixed } from './fixes/build.js';
import { getAt, splitPointer } from '../model/json-path.js';
import {
  DEPRECATED_TOPOLOGY_KEYS,
  managedByWorkload,
  nodeKeyRefs,
  type NodeKeyUse,
} from '../model/affinity.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

const WHERE: Record<NodeKeyUse, string> = {
  podAffinity: 'a podAffinity topologyKey',
  podAntiAffinity: 'a podAntiAffinity topologyKey',
  topologySpreadConstraints: 'a topologySpreadConstraints topologyKey',
  nodeSelector: 'its nodeSelector',
  nodeAffinity: 'its node affinity',
};

export default defineRule({
  id: 'deprecated-topology-key',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'failure-domain.beta.kubernetes.io labels are deprecated; nodes carry topology.kubernetes.io labels.',
  fixSafety: { kind: 'safe' },
  messages: {
    deprecated: {
      headline: '{{workload}}: {{where}} uses deprecated {{key}}',
      detail:
        '{{key}} is deprecated since Kubernetes 1.17. Use {{replacement}}: nodes set up by a cloud provider still carry both labels, but nodes labelled any other way may carry only {{replacement}}.',
    },
  },
  fix(target) {
    const key = String(target.data['key']);
    const replacement = String(target.data['replacement']);
    // A topologyKey or match expression holds the key as a value; a nodeSelector holds it as a key.
    if (getAt(target.object.raw, target.path) === key)
      return edit(target.object, `use ${replacement} instead of ${key}`, {
        op: 'replace',
        path: target.path,
        value: replacement,
      });
    if (splitPointer(target.path).at(-1) === key)
      return edit(target.object, `use ${replacement} instead of ${key}`, {
        op: 'rename',
        path: target.path,
        to: replacement,
      });
    return notFixed('the key is not where the rule found it: edit it by hand');
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      // Pods and ReplicaSets another workload makes repeat its template: report the template once.
      if (managedByWorkload(w)) continue;
      for (const ref of nodeKeyRefs(w.podSpec, w.podSpecPath)) {
        const replacement = DEPRECATED_TOPOLOGY_KEYS[ref.key];
        if (replacement === undefined) continue;
        report({
          object: w.object,
          path: ref.path,
          messageId: 'deprecated',
          data: {
            workload: describe(w),
            where: WHERE[ref.use],
            key: ref.key,
            replacement,
          },
        });
      }
    }
  },
});
