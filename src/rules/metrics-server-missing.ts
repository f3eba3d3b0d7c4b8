import { apiService, clusterAnchor, condition, describeCondition, isAvailable } from '../model/live.js';
import { defineRule } from './define-rule.js';

const RESOURCE_METRICS = 'v1beta1.metrics.k8s.io';

export default defineRule({
  id: 'metrics-server-missing',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Run Kubernetes Metrics Server',
  description:
    'Without the resource metrics API (the metrics server) no HPA or VPA can scale on cpu or memory, and kubectl top shows nothing.',
  needs: ['APIService'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact: install the metrics server; no file of the application to edit',
  },
  messages: {
    missing: {
      headline: 'The resource metrics API is not registered (looked for APIService v1beta1.metrics.k8s.io)',
      detail:
        'No HPA or VPA can scale on cpu or memory, and kubectl top fails. Install the metrics server (on EKS: the metrics-server add-on).',
    },
    unavailable: {
      headline:
        'The resource metrics API (APIService v1beta1.metrics.k8s.io) is registered but not Available',
      detail:
        'It is not Available ({{reason}}), so HPAs and VPAs that use cpu or memory are blind. Repair the metrics server behind it (kubectl describe apiservice v1beta1.metrics.k8s.io).',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster?.listed.has('APIService')) return;
    const service = apiService(index, RESOURCE_METRICS);
    if (!service) {
      report({ object: clusterAnchor(index), messageId: 'missing' });
      return;
    }
    if (isAvailable(service)) return;
    const available = condition(service, 'Available');
    report({
      object: service,
      path: available?.path ?? '/status',
      messageId: 'unavailable',
      data: { reason: available ? describeCondition(available) : 'no Available condition' },
    });
  },
});
