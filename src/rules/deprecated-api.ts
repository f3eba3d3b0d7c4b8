import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'deprecated-api',
  category: 'api',
  defaultSeverity: 'error',
  seed: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'An apiVersion removed at the target Kubernetes version is refused by the API server; a deprecated one soon will be.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
