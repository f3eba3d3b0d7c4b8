import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'identical-probes',
  category: 'health',
  defaultSeverity: 'warning',
  seed: 'Use Readiness Probe to detect partial unavailability',
  description:
    'A liveness probe identical to the readiness probe restarts pods that are only temporarily unable to serve.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
