import { edit, notFixed, valueAt, workloadOf } from './fixes/build.js';
import type { FixPlan, FixTarget, PatchOp } from './fixes/types.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import {
  constraintSelectsOwnPods,
  podAffinityTerms,
  requiredOwnAntiAffinity,
  podIdentityOf,
  replicaCount,
  selectorSuggestion,
  topologyLevel,
  topologySpreadConstraints,
} from '../model/affinity.js';
import { describe } from '../model/workload.js';
import { spreadConstraint } from './utils/spread.js';
import { defineRule } from './define-rule.js';

const TERM_PATH = /^(.*)\/affinity\/podAntiAffinity\/requiredDuringSchedulingIgnoredDuringExecution\/(\d+)$/;

/**
 * Required anti-affinity per zone against the own pods, with more replicas than zones, is mechanically
 * the zone spread constraint the message recommends: the term is removed (and the keys it leaves
 * empty) and the constraint added with the term's own selector, unless an equivalent one is there.
 */
function planSpreadInstead(target: FixTarget, index: ObjectIndex): FixPlan {
  const m = TERM_PATH.exec(target.path);
  const podSpecPath = m?.[1];
  const podSpec = podSpecPath !== undefined ? valueAt(target.object, podSpecPath) : undefined;
  const w = workloadOf(index, target.object);
  const term =
    podSpecPath !== undefined && isJsonObject(podSpec)
      ? podAffinityTerms(podSpec, podSpecPath).find((t) => t.path === target.path)
      : undefined;
  if (podSpecPath === undefined || !isJsonObject(podSpec) || !w || !term?.rawLabelSelector)
    return notFixed('the reported term is not where the rule found it: run kubeha check again');
  const pod = podIdentityOf(index, w);
  const present = topologySpreadConstraints(podSpec, podSpecPath).some(
    (c) =>
      topologyLevel(c.topologyKey) === 'zone' &&
      c.whenUnsatisfiable === 'DoNotSchedule' &&
      c.maxSkew === 1 &&
      constraintSelectsOwnPods(c, pod).verdict === 'yes',
  );
  const ops: PatchOp[] = [{ op: 'remove', path: emptiedBy(podSpec, podSpecPath, target.path) }];
  if (!present) {
    const keys = [...term.matchLabelKeys];
    if (w.kind === 'Deployment' && !keys.includes('pod-template-hash')) keys.push('pod-template-hash');
    ops.push({
      op: 'add',
      path: `${podSpecPath}/topologySpreadConstraints/-`,
      value: spreadConstraint('zone', structuredClone(term.rawLabelSelector), keys),
    });
  }
  return edit(
    target.object,
    present
      ? 'remove the required zone anti-affinity term (a zone spread constraint already keeps the zones balanced)'
      : 'replace the required zone anti-affinity term with a zone topologySpreadConstraint',
    ...ops,
  );
}

/** What to remove for the term to go: the term, or the outermost key it alone kept from being empty. */
function emptiedBy(podSpec: JsonObject, podSpecPath: string, termPath: string): string {
  const affinity = podSpec['affinity'];
  const anti = isJsonObject(affinity) ? affinity['podAntiAffinity'] : undefined;
  const required = isJsonObject(anti) ? anti['requiredDuringSchedulingIgnoredDuringExecution'] : undefined;
  if (Array.isArray(required) && required.length > 1) return termPath;
  if (isJsonObject(anti) && Object.keys(anti).length > 1)
    return `${podSpecPath}/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution`;
  if (isJsonObject(affinity) && Object.keys(affinity).length > 1)
    return `${podSpecPath}/affinity/podAntiAffinity`;
  return `${podSpecPath}/affinity`;
}

export default defineRule({
  id: 'required-zone-anti-affinity',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'Required pod anti-affinity per zone leaves every replica beyond the zone count Pending, and a lost node holds its zone.',
  needs: ['HorizontalPodAutoscaler', 'Node'],
  fixSafety: { kind: 'safe' },
  messages: {
    replicas: {
      headline: '{{workload}}: {{pendingText}} Pending under required zone anti-affinity',
      detail:
        'It runs {{replicas}} replicas with required pod anti-affinity on {{topologyKey}}, which allows one of its pods per zone: with {{zones}} zones, {{pendingText}} Pending. Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {{selector}}}} instead, or make the term preferredDuringSchedulingIgnoredDuringExecution.',
    },
    hpa: {
      headline: '{{workload}}: HPA {{hpa}} scales it beyond what zone anti-affinity allows',
      detail:
        'HPA {{hpa}} can scale it to {{peak}} replicas, but its required pod anti-affinity on {{topologyKey}} allows one of its pods per zone: with {{zones}} zones, every replica the HPA adds beyond {{zones}} stays Pending ({{pending}} at maxReplicas). Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {{selector}}}} instead, or make the term preferredDuringSchedulingIgnoredDuringExecution.',
    },
    lostNode: {
      headline: '{{workload}}: required zone anti-affinity strands the replacement of a lost node',
      detail:
        'It runs {{replicas}} replicas with required pod anti-affinity on {{topologyKey}}, one per zone. When a node is lost, its pod is deleted once its toleration runs out but stays Terminating, since no kubelet confirms it, and kube-scheduler still counts a Terminating pod for anti-affinity: its zone stays taken, the replacement has nowhere to go and stays Pending until the node is deleted. A rolling update with maxSurge needs a free zone too. Spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {{selector}}}} instead: it keeps one replica per zone while the zones are whole, and lets the replacement go to a zone that is left.',
    },
  },
  fix: (target, { index }) => planSpreadInstead(target, index),
  check({ index, settings, report }) {
    const zones = settings.zones;
    for (const w of index.workloads) {
      const count = replicaCount(index, w);
      if (!count || count.peak < 2) continue;
      const template = index.templateOf(w);
      if (w.templateRef && template === w) continue;
      const pod = podIdentityOf(index, w);
      const term = requiredOwnAntiAffinity(template.podSpec, template.podSpecPath, pod, 'zone');
      if (!term) continue;
      if (count.peak <= zones) {
        report({
          object: template.object,
          path: term.path,
          messageId: 'lostNode',
          data: {
            workload: describe(w),
            selector: selectorSuggestion(template, pod.labels),
            replicas: count.peak,
            topologyKey: term.topologyKey ?? '',
          },
        });
        continue;
      }
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
