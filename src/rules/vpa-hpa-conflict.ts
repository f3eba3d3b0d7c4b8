import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'vpa-hpa-conflict',
  category: 'autoscaling',
  defaultSeverity: 'error',
  seed: 'Vertical Pod Autoscaler (VPA)',
  description: 'A VPA that updates pods and an HPA on cpu or memory fight over the same workload.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
