import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-pdb',
  category: 'disruptions',
  defaultSeverity: 'warning',
  seed: 'Protect critical workload with Pod Disruption Budgets',
  description: 'Without a PodDisruptionBudget a node drain may evict every replica at once.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
