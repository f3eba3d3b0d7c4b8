import { isVpa, scalersFor, vpaUpdateMode } from '../model/autoscaling.js';
import { shortVersion } from '../model/kube-versions.js';
import type { ObjectIndex } from '../model/object-index.js';
import type { Workload, WorkloadKind } from '../model/workload.js';
import { defineRule } from './define-rule.js';
import { statefulEvidence } from './fixes/stateful.js';

const KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'Rollout'];

export default defineRule({
  id: 'hpa-missing',
  category: 'autoscaling',
  defaultSeverity: 'info',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'A Deployment or StatefulSet with no HorizontalPodAutoscaler cannot absorb a surge of traffic.',
  needs: ['HorizontalPodAutoscaler'],
  fixSafety: {
    kind: 'none',
    reason: 'decide whether the workload should autoscale, on which metric, and its maxReplicas',
  },
  messages: {
    missing: {
      headline: '{{kind}} {{name}} has no HorizontalPodAutoscaler',
      detail:
        'It keeps {{replicas}} however much traffic arrives. Add an autoscaling/v2 HPA (or a KEDA ScaledObject) targeting it, with minReplicas 2 or more and a metric that tracks load.',
    },
    unserved: {
      headline: '{{kind}} {{name}} has no HorizontalPodAutoscaler the API server accepts',
      detail:
        'Its HPA {{hpa}} uses {{apiVersion}}, which Kubernetes {{target}} no longer serves, so it keeps {{replicas}} however much traffic arrives. Move {{hpa}} to autoscaling/v2 (deprecated-api).',
    },
  },
  check({ index, report }) {
    // A Deployment an Argo Rollout runs through workloadRef is only a template: the Rollout is what scales.
    const templates = new Set(
      index.workloads.flatMap((w) =>
        w.kind === 'Rollout' && w.templateRef
          ? [`${w.object.namespace}/${w.templateRef.kind}/${w.templateRef.name}`]
          : [],
      ),
    );
    for (const w of index.workloads) {
      if (!KINDS.includes(w.kind) || w.declaredReplicas === 0) continue;
      if (templates.has(`${w.object.namespace}/${w.kind}/${w.object.name}`)) continue;
      if (scalersFor(index, w).length > 0) continue;
      // The guide's answer for workloads that cannot scale out: a VPA that sizes the pods instead.
      if (index.vpasFor(w).some((v) => isVpa(v) && vpaUpdateMode(v) !== 'Off')) continue;
      const replicas = w.replicas ?? 1;
      const unserved = index.unservedHpasFor(w)[0];
      // An HPA the user wrote says they chose to autoscale it: it is still worth moving to a served version.
      if (!unserved && keepsItsOwnData(index, w)) continue;
      report({
        object: w.object,
        path: '/kind',
        messageId: unserved ? 'unserved' : 'missing',
        data: {
          kind: w.kind,
          name: w.object.name,
          replicas: `${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`,
          ...(unserved
            ? {
                hpa: unserved.name,
                apiVersion: unserved.apiVersion,
                target: shortVersion(index.targetVersion),
              }
            : {}),
        },
      });
    }
  },
});

/**
 * Whether copies of `w` would each keep their own data, so that it does not scale horizontally: a
 * database, queue or cache image, or a pod that writes to persistent, per-pod or emptyDir volumes (the
 * detection unsafe replica fixes use). Adding pods to it under load splits its state instead of sharing
 * the load; it scales up (a VPA, bigger requests) or through its operator. A StatefulSet whose only
 * sign of state is its kind is not enough: stable names suit stateless apps too.
 */
function keepsItsOwnData(index: ObjectIndex, w: Workload): boolean {
  const evidence = statefulEvidence(index, w);
  return evidence?.product !== undefined || evidence?.data !== undefined;
}
