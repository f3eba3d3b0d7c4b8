import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-replicas-conflict',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'A workload scaled by an HPA that also sets spec.replicas is reset to that number on every apply.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
