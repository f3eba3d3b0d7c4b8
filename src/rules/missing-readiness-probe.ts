import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-readiness-probe',
  category: 'health',
  defaultSeverity: 'warning',
  seed: 'Use Readiness Probe to detect partial unavailability',
  description: 'Without a readiness probe a pod receives traffic before it can serve and while it cannot.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
