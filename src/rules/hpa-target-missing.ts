import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-target-missing',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description: 'An HPA whose scaleTargetRef names a workload that is not there scales nothing.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
