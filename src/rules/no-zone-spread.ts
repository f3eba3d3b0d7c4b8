import { checkSpread, planSpread } from './utils/spread.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-zone-spread',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'Replicas with no anti-affinity or spread constraint per zone may all land in one Availability Zone.',
  fixSafety: {
    kind: 'safe-or-unsafe',
    reason:
      'adding a spread constraint is safe; removing a pin of the pods to one zone is unsafe, since the pin may be deliberate',
  },
  messages: {
    none: {
      headline: '{{workload}} runs {{replicas}} with nothing spreading them over zones',
      detail:
        "No pod anti-affinity or topology spread constraint on topology.kubernetes.io/zone selects its own pods ({{labels}}), so they may all land in one Availability Zone and go down with it: kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 5 per zone). Add a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {{selector}}}}. It is a hard rule, since a soft preference guarantees nothing, and with nodeTaintsPolicy: Honor the nodes whose taints the pods do not tolerate (a lost zone's) leave the count, so it cannot strand replicas.",
    },
    notOwn: {
      headline: '{{workload}}: its {{source}} does not select its own pods',
      detail:
        "It selects {{selected}}, not its own pods ({{labels}}), so nothing spreads them over zones, though it runs {{replicas}}: kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 5 per zone). Select {{selector}} in it, or add a topologySpreadConstraint on topology.kubernetes.io/zone that does.",
    },
    pinned: {
      headline: '{{workload}} is pinned to one {{domain}} by {{field}}',
      detail:
        '{{field}} is {{value}}: it runs {{replicas}}, all in that {{domain}}, so losing that {{domain}} takes every replica down at once. Remove the pin and spread them with a topologySpreadConstraint on topology.kubernetes.io/zone.',
    },
  },
  fix: (target) => planSpread('zone', target),
  check(context) {
    checkSpread('zone', context);
  },
});
