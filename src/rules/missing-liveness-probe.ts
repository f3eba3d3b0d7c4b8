import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-liveness-probe',
  category: 'health',
  defaultSeverity: 'warning',
  seed: 'Use Liveness Probe to remove unhealthy pods',
  description: 'Without a liveness probe a hung container is never restarted.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
