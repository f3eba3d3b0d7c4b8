import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-min-replicas',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  seed: 'Run multiple replicas',
  description: 'An HPA with minReplicas below 2 scales the workload down to a single pod.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
