import { checkSpread, planSpread } from './utils/spread.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-node-spread',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'Replicas with no anti-affinity or spread constraint per node may all land on one node and fail together.',
  fixSafety: {
    kind: 'safe-or-unsafe',
    reason:
      'adding a spread constraint is safe; removing a pin of the pods to one node is unsafe, since the pin may be deliberate',
  },
  messages: {
    none: {
      headline: '{{workload}} runs {{replicas}} with nothing spreading them over nodes',
      detail:
        "No pod anti-affinity or topology spread constraint on kubernetes.io/hostname selects its own pods ({{labels}}), so they may all land on one node and fail with it: kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 3 per node). Add a topologySpreadConstraint {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {{selector}}}}.",
    },
    notOwn: {
      headline: '{{workload}}: its {{source}} does not select its own pods',
      detail:
        "It selects {{selected}}, not its own pods ({{labels}}), so nothing spreads them over nodes, though it runs {{replicas}}: kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 3 per node). Select {{selector}} in it, or add a topologySpreadConstraint on kubernetes.io/hostname that does.",
    },
    pinned: {
      headline: '{{workload}} is pinned to one node by {{field}} ({{value}})',
      detail:
        'It runs {{replicas}}, all on that node: a node failure or drain takes every replica down at once. Remove the pin and spread them with a topologySpreadConstraint on kubernetes.io/hostname.',
    },
  },
  fix: (target) => planSpread('node', target),
  check(context) {
    checkSpread('node', context);
  },
});
