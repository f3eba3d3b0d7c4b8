import { edit, notFixed, setText, valueAt } from './fixes/build.js';
import type { FixPlan } from './fixes/types.js';
import { getAt } from '../model/json-path.js';
import { atLeast } from '../model/kube-versions.js';
import type { ObjectIndex } from '../model/object-index.js';
import {
  isWholePercent,
  resolveRollout,
  rolloutSpec,
  STATEFULSET_MAX_UNAVAILABLE_SINCE,
} from '../model/rollout.js';
import type { Workload } from '../model/workload.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'rollout-all-unavailable',
  category: 'updates',
  defaultSeverity: 'error',
  guide: 'Updating applications',
  description: 'A rolling update whose maxUnavailable covers every replica takes the whole workload down.',
  fixSafety: { kind: 'safe' },
  messages: {
    replicas: {
      headline: '{{kind}} {{name}} may stop every pod in a rolling update',
      detail:
        'Its {{field}} {{value}} resolves to {{unavailable}} of {{replicas}} {{noun}}{{hpa}}, so a rolling update may stop every pod at once. {{advice}} Then at least one pod keeps serving through each update.',
    },
    fencepost: {
      headline: '{{kind}} {{name}}: a rolling update stops the only pod',
      detail:
        'Its maxSurge {{surge}} and maxUnavailable {{value}} both resolve to 0 for {{replicas}} replica, so the controller raises maxUnavailable to 1 and a rolling update stops the only pod. Set maxSurge: 1 and maxUnavailable: 0, so the new pod is Ready before the old one stops.',
    },
    statefulSet: {
      headline: 'StatefulSet {{name}}: maxUnavailable {{value}} deletes every pod at once',
      detail:
        'Its updateStrategy.rollingUpdate.maxUnavailable {{value}} resolves to {{unavailable}} of {{replicas}} replicas{{hpa}}, so a rolling update deletes every pod at once{{note}}. Remove it (one pod at a time) or use a count below the replicas, such as 1.',
    },
    daemonSet: {
      headline: 'DaemonSet {{name}}: maxUnavailable {{value}} updates every node at once',
      detail:
        'It replaces the pod on every node at once, so during each update no node runs it. Use maxUnavailable: 1 (or a small percentage), or maxSurge: 1 with maxUnavailable: 0 to start each new pod before its old one stops.',
    },
  },
  fix(target) {
    const spec = rolloutSpec(target.object);
    if (!spec) return notFixed('the key is not where the rule found it: edit it by hand');
    const maxUnavailable = valueAt(target.object, spec.maxUnavailablePath);
    const toOne = (): FixPlan =>
      edit(target.object, setText('maxUnavailable', maxUnavailable, 1), {
        op: 'replace',
        path: spec.maxUnavailablePath,
        value: 1,
      });
    switch (target.messageId) {
      case 'statefulSet':
        return edit(
          target.object,
          `remove maxUnavailable ${String(maxUnavailable)}, so the StatefulSet updates one pod at a time`,
          { op: 'remove', path: spec.maxUnavailablePath },
        );
      case 'daemonSet':
        return toOne();
      case 'replicas':
        if (target.data['replicas'] !== 1) return toOne();
    }
    // One replica: the new pod must be Ready before the old one stops.
    const maxSurge = valueAt(target.object, spec.maxSurgePath);
    return edit(
      target.object,
      maxSurge === undefined && maxUnavailable === undefined
        ? 'set maxSurge to 1 and maxUnavailable to 0'
        : `${setText('maxSurge', maxSurge, 1)} and ${setText('maxUnavailable', maxUnavailable, 0)}`,
      { op: 'add', path: spec.maxSurgePath, value: 1 },
      { op: 'add', path: spec.maxUnavailablePath, value: 0 },
    );
  },
  check({ index, settings, report }) {
    for (const w of index.workloads) {
      const spec = rolloutSpec(w.object);
      if (!spec) continue;
      const value = String(spec.maxUnavailable);

      if (spec.kind === 'DaemonSet') {
        // The node count is unknown statically: only a percentage that covers every node is certain.
        if (spec.type === 'RollingUpdate' && isWholePercent(spec.maxUnavailable)) {
          report({
            object: w.object,
            path: spec.maxUnavailablePath,
            messageId: 'daemonSet',
            data: { name: w.object.name, value },
          });
        }
        continue;
      }

      const count = lowestPodCount(index, w);
      if (count === undefined || count.replicas === 0) continue;
      const hpa = count.fromHpa ? " (the HPA's minReplicas)" : '';

      if (spec.kind === 'StatefulSet') {
        // Unset means one pod at a time; one replica goes down whatever the field says.
        if (!spec.declared.maxUnavailable || count.replicas < 2) continue;
        const r = resolveRollout(spec, count.replicas, { statefulSetMaxUnavailable: true });
        if (!r || r.type !== 'RollingUpdate' || r.minAvailable > 0) continue;
        const gated = !atLeast(settings.kubeVersion, STATEFULSET_MAX_UNAVAILABLE_SINCE);
        report({
          object: w.object,
          path: spec.maxUnavailablePath,
          messageId: 'statefulSet',
          // Before 1.35 the API server drops the field unless MaxUnavailableStatefulSet is enabled.
          ...(gated ? { severity: 'warning' as const } : {}),
          data: {
            name: w.object.name,
            value,
            unavailable: r.maxUnavailable,
            replicas: count.replicas,
            hpa,
            note: gated
              ? ` when the MaxUnavailableStatefulSet feature gate is on (the default from Kubernetes ${STATEFULSET_MAX_UNAVAILABLE_SINCE}; the target is ${settings.kubeVersion})`
              : '',
          },
        });
        continue;
      }

      // Deployment, Argo Rollout canary.
      const r = resolveRollout(spec, count.replicas);
      if (!r || (r.type !== 'RollingUpdate' && r.type !== 'Canary') || r.minAvailable > 0) continue;
      const base = { kind: w.kind, name: w.object.name, value, replicas: count.replicas };
      const noun = count.replicas === 1 ? 'replica' : 'replicas';
      if (r.raisedToOne) {
        report({
          object: w.object,
          path: spec.maxSurgePath,
          messageId: 'fencepost',
          data: { ...base, surge: String(spec.maxSurge) },
        });
        continue;
      }
      report({
        object: w.object,
        path: spec.maxUnavailablePath,
        messageId: 'replicas',
        data: {
          ...base,
          field: spec.kind === 'Rollout' ? 'canary maxUnavailable' : 'maxUnavailable',
          unavailable: r.maxUnavailable,
          noun,
          hpa,
          advice:
            count.replicas === 1
              ? 'Use maxUnavailable: 0 with maxSurge: 1, so the new pod is Ready before the old one stops.'
              : 'Use maxUnavailable: 1 (or 25%) with maxSurge: 1 or more.',
        },
      });
    }
  },
});

/** The fewest pods the workload runs: its HPA's minReplicas when one scales it, else its replicas. */
function lowestPodCount(index: ObjectIndex, w: Workload): { replicas: number; fromHpa: boolean } | undefined {
  if (w.replicas === undefined) return undefined;
  // A workload scaled to zero stays there: the HPA does not scale from 0 replicas.
  if (w.declaredReplicas === 0) return { replicas: 0, fromHpa: false };
  const hpa = index.hpasFor(w)[0];
  const min = hpa ? getAt(hpa.raw, '/spec/minReplicas') : undefined;
  // A minReplicas the API server cannot decode (1e308, 2^31, 1.5) is invalid-object's finding: that HPA
  // is refused, and the workload runs its own replicas.
  if (!hpa || (typeof min === 'number' && !isInt32(min))) return { replicas: w.replicas, fromHpa: false };
  return { replicas: typeof min === 'number' && min >= 1 ? min : 1, fromHpa: true };
}
