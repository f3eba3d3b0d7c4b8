import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-timeout',
  category: 'mesh',
  defaultSeverity: 'info',
  seed: 'Use a Service Mesh',
  description: 'An Istio VirtualService route without a timeout waits on a slow backend forever.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
