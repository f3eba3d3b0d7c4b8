import {
  podAffinityTerms,
  podIdentityOf,
  replicaCount,
  selectorSuggestion,
  termSelectsOwnPods,
  topologyLevel,
} from '../model/affinity.js';
import { describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'required-zone-anti-affinity',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description: 'Required pod anti-affinity per zone leaves every replica beyond the zone count Pending.',
  messages: {
    replicas:
      '{{workload}} runs {{replicas}} replicas with required pod anti-affinity on {{topologyKey}}, which allows one of its pods per zone: with {{zones}} zones, {{pendingText}} Pending. Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {{selector}}}} instead, or make the term preferredDuringSchedulingIgnoredDuringExecution.',
    hpa: '{{workload}} can be scaled to {{peak}} replicas by HPA {{hpa}}, but its required pod anti-affinity on {{topologyKey}} allows one of its pods per zone: with {{zones}} zones, every replica the HPA adds beyond {{zones}} stays Pending ({{pending}} at maxReplicas). Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {{selector}}}} instead, or make the term preferredDuringSchedulingIgnoredDuringExecution.',
  },
  check({ index, settings, report }) {
    const zones = settings.zones;
    for (const w of index.workloads) {
      const count = replicaCount(index, w);
      if (!count || count.peak <= zones) continue;
      const template = index.templateOf(w);
      if (w.templateRef && template === w) continue;
      const pod = podIdentityOf(index, w);
      // Only terms that certainly select the own pods: one whose namespaceSelector cannot be evaluated
      // statically may not apply to them at all.
      const term = podAffinityTerms(template.podSpec, template.podSpecPath).find(
        (t) =>
          t.type === 'podAntiAffinity' &&
          t.mode === 'required' &&
          topologyLevel(t.topologyKey) === 'zone' &&
          termSelectsOwnPods(t, pod).verdict === 'yes',
      );
      if (!term) continue;
      const byReplicas = count.replicas > zones;
      const pending = (byReplicas ? count.replicas : count.peak) - zones;
      report({
        object: template.object,
        path: term.path,
        messageId: byReplicas ? 'replicas' : 'hpa',
        data: {
          workload: describe(w),
          selector: selectorSuggestion(template, pod.labels),
          replicas: count.replicas,
          peak: count.peak,
          hpa: count.hpa?.name ?? '',
          topologyKey: term.topologyKey ?? '',
          zones,
          pending,
          pendingText: pending === 1 ? '1 replica stays' : `${pending} replicas stay`,
        },
      });
    }
  },
});
