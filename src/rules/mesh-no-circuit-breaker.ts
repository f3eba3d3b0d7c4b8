import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-circuit-breaker',
  category: 'mesh',
  defaultSeverity: 'info',
  seed: 'Use a Service Mesh',
  description:
    'An Istio DestinationRule without outlierDetection keeps sending traffic to failing endpoints.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
