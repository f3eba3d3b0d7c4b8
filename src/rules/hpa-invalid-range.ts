import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-invalid-range',
  category: 'autoscaling',
  defaultSeverity: 'error',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description: 'An HPA whose maxReplicas is below (or equal to) minReplicas cannot scale.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
