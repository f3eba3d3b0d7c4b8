import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'pdb-overlap',
  category: 'disruptions',
  defaultSeverity: 'error',
  seed: 'Protect critical workload with Pod Disruption Budgets',
  description: 'Pods selected by two PDBs cannot be evicted: the eviction API refuses them.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
