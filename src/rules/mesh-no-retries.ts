import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-retries',
  category: 'mesh',
  defaultSeverity: 'info',
  seed: 'Use a Service Mesh',
  description: 'An Istio VirtualService route without retries passes every transient failure to the caller.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
