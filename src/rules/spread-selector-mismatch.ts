import {
  constraintSelectsOwnPods,
  describeConstraint,
  describeLabels,
  describeMiss,
  describeTerm,
  effectiveTermSelector,
  managedByWorkload,
  namespaceLabelsIn,
  podIdentity,
  missPath,
  selectorSuggestion,
  termCoversNamespace,
  termSelectsOwnPods,
  topologyLevel,
  workloadAffinityTerms,
  workloadSpreadConstraints,
  type PodAffinityTermView,
  type PodIdentity,
  type TopologySpreadConstraintView,
} from '../model/affinity.js';
import type { ObjectIndex } from '../model/object-index.js';
import { describe, type Workload } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'spread-selector-mismatch',
  category: 'scheduling',
  defaultSeverity: 'error',
  guide: 'Schedule replicas across nodes',
  description:
    "An anti-affinity term or spread constraint whose selector does not select the workload's own pods spreads nothing.",
  fixSafety: {
    kind: 'none',
    reason:
      'decide which pods the term was meant to select: it selects other pods, and they may be the intended ones',
  },
  messages: {
    constraint: {
      headline: '{{workload}}: {{source}} selects {{selected}}, not its own pods',
      detail:
        'Its own pods have {{labels}}, so the constraint counts other pods and spreads none of these. Set its labelSelector to {matchLabels: {{selector}}}.',
    },
    constraintNil: {
      headline: '{{workload}}: {{source}} has no labelSelector, so it spreads nothing',
      detail:
        'A constraint without a labelSelector counts no pod, so it spreads none of the replicas. Add labelSelector: {matchLabels: {{selector}}}.',
    },
    perPodKey: {
      headline: '{{workload}}: {{source}} selects only the pod itself',
      detail:
        'It lists {{key}} in matchLabelKeys, a label unique to each pod, so it selects only the pod itself and {{effect}}. Remove {{key}} from matchLabelKeys.',
    },
    termNil: {
      headline: '{{workload}}: {{source}} has no labelSelector, so it matches no pod',
      detail:
        'A term without a labelSelector matches no pod, and {{effect}}. Add labelSelector: {matchLabels: {{selector}}}.',
    },
    term: {
      headline: '{{workload}}: {{source}} selects {{selected}}, not its own pods',
      detail:
        'Its own pods have {{key}}={{have}}: the term looks meant for them (copied from another workload?), and {{effect}}. Use {{key}}: {{have}}.',
    },
    termNamespace: {
      headline: '{{workload}}: {{source}} selects pods in other namespaces only',
      detail:
        'It selects {{selected}}, not namespace {{namespace}} where its own pods run, and {{effect}}. Remove namespaces/namespaceSelector or include {{namespace}}.',
    },
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      // An Argo Rollout with workloadRef has no template of its own: the referenced workload is checked.
      if (w.templateRef || managedByWorkload(w)) continue;
      const pod = podIdentity(
        w.kind,
        w.podLabels,
        w.object.namespace,
        namespaceLabelsIn(index, w.object.namespace),
      );
      // Worded only for the workloads reported.
      const base = () => ({
        workload: describe(w),
        labels: describeLabels(w.podLabels),
        selector: selectorSuggestion(w, w.podLabels),
      });
      const constraints = workloadSpreadConstraints(index, w);
      const terms = workloadAffinityTerms(index, w);

      for (const c of constraints) {
        const m = constraintSelectsOwnPods(c, pod);
        if (m.verdict !== 'no' || !m.reason) continue;
        const data = { ...base(), source: describeConstraint(c) };
        switch (m.reason.kind) {
          case 'nil-selector':
            report({ object: w.object, path: `${c.path}/labelSelector`, messageId: 'constraintNil', data });
            break;
          case 'per-pod-key':
            report({
              object: w.object,
              path: missPath(c, m.reason),
              messageId: 'perPodKey',
              data: { ...data, key: m.reason.key, effect: 'spreads nothing' },
            });
            break;
          case 'label':
            report({
              object: w.object,
              path: missPath(c, m.reason),
              messageId: 'constraint',
              data: { ...data, selected: describeMiss(m.reason, c.labelSelector) },
            });
            break;
        }
      }

      for (const t of terms) {
        const m = termSelectsOwnPods(t, pod);
        if (m.verdict !== 'no' || !m.reason) continue;
        const data = { ...base(), source: describeTerm(t), effect: effectOf(t) };
        const reason = m.reason;
        if (reason.kind === 'nil-selector') {
          report({ object: w.object, path: `${t.path}/labelSelector`, messageId: 'termNil', data });
          continue;
        }
        if (reason.kind === 'per-pod-key') {
          report({
            object: w.object,
            path: missPath(t, reason),
            messageId: 'perPodKey',
            data: { ...data, key: reason.key },
          });
          continue;
        }
        // mismatchLabelKeys excludes the pod's own group on purpose (one tenant per domain).
        if (reason.kind === 'mismatch-label-key') continue;
        if (reason.kind === 'label' && !looksMeantForOwnPods(t, w, pod, reason.key, reason.values)) continue;
        if (targetsOtherWorkload(index, w, t) || spreadElsewhere(t, terms, constraints, pod)) continue;
        const selected = describeMiss(reason, t.labelSelector);
        if (reason.kind === 'namespace') {
          report({
            object: w.object,
            path: missPath(t, reason),
            messageId: 'termNamespace',
            data: { ...data, selected, namespace: w.object.namespace },
          });
        } else {
          report({
            object: w.object,
            path: missPath(t, reason),
            messageId: 'term',
            data: { ...data, selected, key: reason.key, have: reason.have ?? '' },
          });
        }
      }
    }
  },
});

function effectOf(t: PodAffinityTermView): string {
  if (t.type === 'podAntiAffinity') return 'keeps none of its replicas apart';
  return t.mode === 'required'
    ? 'its pods stay Pending wherever no such pod runs'
    : 'it has no effect on where its replicas run';
}

/**
 * Affinity terms may select other applications' pods on purpose, so a term that misses the own pods is
 * only a mistake when it is clearly about them: every key it selects on is one of the pod's labels
 * (a key the pods lack means another application), and the failing one is an equality or `In` on a
 * value the pods do not have. Co-location (podAffinity) with another app through the same `app` key is
 * normal, so there the wanted value must also be a near miss of the own one (web vs web-server) or the
 * workload's own name.
 */
function looksMeantForOwnPods(
  t: PodAffinityTermView,
  w: Workload,
  pod: PodIdentity,
  key: string,
  values: readonly string[],
): boolean {
  const selector = t.labelSelector;
  if (!selector) return false;
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((r) => r.key)];
  const known = (k: string): boolean => k in pod.labels || pod.controllerKeys.includes(k);
  if (!keys.every(known)) return false;
  const have = pod.labels[key];
  const failing =
    key in selector.matchLabels ? 'In' : selector.matchExpressions.find((r) => r.key === key)?.operator;
  if (have === undefined || failing !== 'In') return false;
  if (t.type === 'podAntiAffinity') return true;
  return values.some((v) => v === w.object.name || nearMiss(v, have));
}

function nearMiss(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return false;
  if (x.includes(y) || y.includes(x)) return true;
  return Math.min(x.length, y.length) >= 5 && editDistance(x, y) <= 2;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** A term that selects another workload of the input targets those pods: placement relative to another app. */
function targetsOtherWorkload(index: ObjectIndex, w: Workload, t: PodAffinityTermView): boolean {
  const selector = effectiveTermSelector(t, w.podLabels);
  if (!selector) return false;
  // Only workloads whose pods the selector selects can be the target: the index finds them directly.
  return index.workloadsWithPodLabelsMatching(selector).some((o) => {
    if (o === w || o.templateRef || managedByWorkload(o)) return false;
    const nsLabels = {
      ...namespaceLabelsIn(index, o.object.namespace),
      'kubernetes.io/metadata.name': o.object.namespace,
    };
    return termCoversNamespace(t, w.object.namespace, o.object.namespace, nsLabels);
  });
}

function sameDomain(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const level = topologyLevel(a);
  return a === b || (level !== undefined && level === topologyLevel(b));
}

/**
 * When the workload already spreads its own pods over the term's domain, a further anti-affinity term
 * there that selects other pods is deliberate (keep away from that app), not a broken self-spread.
 */
function spreadElsewhere(
  t: PodAffinityTermView,
  terms: readonly PodAffinityTermView[],
  constraints: readonly TopologySpreadConstraintView[],
  pod: PodIdentity,
): boolean {
  if (t.type !== 'podAntiAffinity') return false;
  return (
    terms.some(
      (o) =>
        o !== t &&
        o.type === 'podAntiAffinity' &&
        sameDomain(o.topologyKey, t.topologyKey) &&
        termSelectsOwnPods(o, pod).verdict !== 'no',
    ) ||
    constraints.some(
      (c) => sameDomain(c.topologyKey, t.topologyKey) && constraintSelectsOwnPods(c, pod).verdict !== 'no',
    )
  );
}
