import {
  allContainerRaws,
  containerRequests,
  describeScaler,
  isHpa,
  isScaledObject,
  limitRangeRequestDefaults,
  podLevelRequests,
  resourceMetricsOf,
  scalerTarget,
  type ResourceMetric,
} from '../model/autoscaling.js';
import { joinPath } from '../model/json-path.js';
import { describe, REPLICATED_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-missing-requests',
  category: 'autoscaling',
  defaultSeverity: 'error',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'An HPA on resource utilisation cannot compute it for containers without that resource request.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide the cpu or memory request the HPA computes utilisation from (measure it, or start from a VPA recommendation)',
  },
  messages: {
    missing: {
      headline: '{{scaler}} cannot scale: {{container}} requests no {{resource}}',
      detail:
        'It scales {{workload}} on {{metric}}, but container {{container}} has no {{resource}} request, so the HPA controller cannot compute utilisation ("missing request for {{resource}}") and never scales. Set resources.requests.{{resource}} on {{container}}.',
    },
    missingDefault: {
      headline: '{{scaler}} cannot scale: {{container}} requests no {{resource}}',
      detail:
        'It sets no metrics, so it scales {{workload}} on {{metric}} (the API default), but container {{container}} has no {{resource}} request, so the HPA controller cannot compute utilisation ("missing request for {{resource}}") and never scales. Set resources.requests.{{resource}} on {{container}}, or give the HPA explicit metrics.',
    },
    podLevel: {
      headline: '{{scaler}} cannot scale: {{workload}} requests no {{resource}}',
      detail:
        'It scales {{workload}} on {{metric}}, but its pod-level resources and its containers request no {{resource}}, so the HPA controller cannot compute utilisation and never scales. Set spec.resources.requests.{{resource}} in the pod template.',
    },
    noContainer: {
      headline: '{{scaler}} names a missing container {{container}}',
      detail:
        'It scales {{workload}} on the {{resource}} utilisation of container {{container}}, which the pod template does not have, so the HPA controller reports the container as not found and never scales. Name one of: {{containers}}.',
    },
  },
  check({ index, settings, report }) {
    for (const scaler of index.ofKind('HorizontalPodAutoscaler', 'ScaledObject')) {
      if (!isHpa(scaler) && !isScaledObject(scaler)) continue;
      const target = scalerTarget(index, scaler);
      // replicas: 0 disables the HPA; kinds without a replica count cannot be its target.
      if (!target || !REPLICATED_KINDS.includes(target.kind) || target.declaredReplicas === 0) continue;
      const pod = index.templateOf(target);
      const defaults = limitRangeRequestDefaults(index, pod.object.namespace);
      const podLevel = podLevelRequests(pod, settings.kubeVersion);
      const reported = new Set<string>();
      for (const m of resourceMetricsOf(scaler)) {
        if (!m.utilization) continue;
        const data = {
          scaler: describeScaler(scaler),
          workload: describe(target),
          resource: m.resource,
          metric: metricText(m),
        };
        if (m.container !== undefined) {
          const c = pod.containers.find((x) => x.name === m.container);
          if (!c) {
            report({
              object: scaler,
              path: joinPath(
                m.path,
                ...(isScaledObject(scaler)
                  ? ['metadata', 'containerName']
                  : ['containerResource', 'container']),
              ),
              messageId: 'noContainer',
              data: {
                ...data,
                container: m.container,
                containers: pod.containers.map((x) => x.name).join(', ') || 'none',
              },
            });
            continue;
          }
          if (containerRequests(c, defaults).has(m.resource)) continue;
          const path = joinPath(c.path, 'resources', 'requests', m.resource);
          if (reported.has(path)) continue;
          reported.add(path);
          report({ object: pod.object, path, messageId: 'missing', data: { ...data, container: c.name } });
          continue;
        }
        if (podLevel) {
          // With pod-level requests the controller reads the pod's total (KEP-2837): pod-level values, else
          // the sum of whichever containers request the resource.
          const covered =
            podLevel.has(m.resource) ||
            allContainerRaws(pod).some((raw) => containerRequests({ raw }, defaults).has(m.resource));
          const path = joinPath(pod.podSpecPath, 'resources', 'requests', m.resource);
          if (!covered && !reported.has(path)) {
            reported.add(path);
            report({ object: pod.object, path, messageId: 'podLevel', data });
          }
          continue;
        }
        for (const c of pod.containers) {
          if (containerRequests(c, defaults).has(m.resource)) continue;
          const path = joinPath(c.path, 'resources', 'requests', m.resource);
          if (reported.has(path)) continue;
          reported.add(path);
          report({
            object: pod.object,
            path,
            messageId: m.implicit ? 'missingDefault' : 'missing',
            data: { ...data, container: c.name },
          });
        }
      }
    }
  },
});

function metricText(m: ResourceMetric): string {
  const scope = m.container !== undefined ? ` of container ${m.container}` : '';
  return m.averageUtilization !== undefined
    ? `${m.averageUtilization}% ${m.resource} utilisation${scope}`
    : `${m.resource} utilisation${scope}`;
}
