import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'pdb-matches-nothing',
  category: 'disruptions',
  defaultSeverity: 'warning',
  seed: 'Protect critical workload with Pod Disruption Budgets',
  description: 'A PDB whose selector selects no workload protects nothing.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
