import {
  analyzeSpread,
  describeLabels,
  describeMiss,
  describeReplicas,
  describeSource,
  missPath,
  pinnedDomain,
  podIdentityOf,
  replicaCount,
  selectorSuggestion,
} from '../model/affinity.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-zone-spread',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description:
    'Replicas with no anti-affinity or spread constraint per zone may all land in one Availability Zone.',
  messages: {
    none: "{{workload}} runs {{replicas}} with no pod anti-affinity or topology spread constraint on topology.kubernetes.io/zone that selects its own pods ({{labels}}): they may all land in one Availability Zone and go down with it, since kube-scheduler's default spreading is only a soft preference (ScheduleAnyway, maxSkew 5 per zone). Add a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {{selector}}}}.",
    notOwn:
      "{{workload}} runs {{replicas}}, but its {{source}} selects {{selected}}, not its own pods ({{labels}}), so nothing spreads them over zones (kube-scheduler's default spreading is only a soft preference: ScheduleAnyway, maxSkew 5 per zone). Select {{selector}} in it, or add a topologySpreadConstraint on topology.kubernetes.io/zone that does.",
    pinned:
      '{{workload}} runs {{replicas}}, all pinned to one {{domain}} by {{field}} ({{value}}): losing that {{domain}} takes every replica down at once. Remove the pin and spread them with a topologySpreadConstraint on topology.kubernetes.io/zone.',
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      const count = replicaCount(index, w);
      if (!count || count.peak < 2) continue;
      const template = index.templateOf(w);
      // An Argo Rollout whose workloadRef is not in the input: its pod spec is unknown.
      if (w.templateRef && template === w) continue;
      const pod = podIdentityOf(index, w);
      const data = {
        workload: describe(w),
        replicas: describeReplicas(count),
        labels: describeLabels(pod.labels),
        selector: selectorSuggestion(template, pod.labels),
      };
      const pin = pinnedDomain(template.podSpec, template.podSpecPath, 'zone');
      if (pin) {
        report({
          object: template.object,
          path: pin.path,
          messageId: 'pinned',
          data: { ...data, domain: pin.level, field: pin.field, value: pin.value },
        });
        continue;
      }
      // Terms on failure-domain.beta.kubernetes.io/zone count: cloud providers still set that label on
      // every node (see topologyLevel); deprecated-topology-key reports the key.
      const spread = analyzeSpread(template.podSpec, template.podSpecPath, pod, 'zone');
      if (spread.spreadBy) continue;
      const miss = spread.notOwn[0];
      if (miss) {
        const at = miss.type === 'term' ? miss.term : miss.constraint;
        report({
          object: template.object,
          path: missPath(at, miss.match.reason),
          messageId: 'notOwn',
          data: {
            ...data,
            source: describeSource(miss),
            selected: describeMiss(miss.match.reason, at.labelSelector),
          },
        });
        continue;
      }
      report({
        object: template.object,
        path: `${template.podSpecPath}/topologySpreadConstraints`,
        messageId: 'none',
        data,
      });
    }
  },
});
