import { isHpa, scaleTargetOf } from '../model/autoscaling.js';
import { conditions, describeCondition } from '../model/live.js';
import { defineRule } from './define-rule.js';

/**
 * What to do about each reason the HPA controller gives (pkg/controller/podautoscaler/horizontal.go sets
 * them); the message of the condition says the rest.
 */
const HINTS: Record<string, string> = {
  FailedGetScale:
    "The HPA cannot read its target's scale: check that scaleTargetRef names an existing workload with a scale subresource.",
  FailedUpdateScale:
    "The HPA cannot change its target's replicas: check admission webhooks and quotas that refuse the update.",
  FailedGetResourceMetric:
    'Resource metrics are missing: check the metrics server (kubectl get apiservice v1beta1.metrics.k8s.io) and that every container of the target requests the resource.',
  FailedGetContainerResourceMetric:
    'Container resource metrics are missing: check the metrics server and that the named container exists and requests the resource.',
  FailedGetPodsMetric:
    'Pods metrics are missing: check the custom metrics adapter (kubectl get apiservice v1beta1.custom.metrics.k8s.io) and that it exports the metric for these pods.',
  FailedGetObjectMetric:
    'The Object metric is missing: check the custom metrics adapter and the described object.',
  FailedGetExternalMetric:
    "The External metric is missing: check the external metrics adapter (kubectl get apiservice v1beta1.external.metrics.k8s.io) and the metric's name and selector.",
  InvalidSelector: "The target's selector cannot be used: fix the workload's spec.selector.",
  AmbiguousSelector: 'Another HPA selects the same pods: keep one HPA per workload.',
  InvalidMetricSourceType:
    'A metric has an unknown type: use Resource, ContainerResource, Pods, Object or External.',
};

/** The conditions that stop an HPA: False means it cannot act (AbleToScale) or cannot compute (ScalingActive). */
const BLOCKING = ['AbleToScale', 'ScalingActive'];

export default defineRule({
  id: 'hpa-not-scaling',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description: 'An HPA whose AbleToScale or ScalingActive condition is False does not scale its workload.',
  fixSafety: {
    kind: 'none',
    reason: "a cluster fact (the HPA's conditions): read kubectl describe hpa; no file to edit",
  },
  messages: {
    notScaling: {
      headline: 'HPA {{hpa}} cannot scale {{target}}: {{condition}} is False',
      detail: '{{hint}} The HPA controller set {{condition}} to False ({{reason}}).',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster) return;
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      const t = scaleTargetOf(hpa);
      for (const c of conditions(hpa)) {
        if (!BLOCKING.includes(c.type) || c.status !== 'False') continue;
        // The controller's word for a target at replicas: 0, switched off on purpose; it resumes at 1.
        if (c.reason === 'ScalingDisabled') continue;
        report({
          object: hpa,
          path: c.path,
          messageId: 'notScaling',
          data: {
            hpa: hpa.name,
            target: t ? `${t.kind} ${t.name}` : 'its target',
            condition: c.type,
            reason: describeCondition(c),
            hint:
              (c.reason && HINTS[c.reason]) ?? `See kubectl describe hpa ${hpa.name} -n ${hpa.namespace}.`,
          },
        });
      }
    }
  },
});
