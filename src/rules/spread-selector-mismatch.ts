import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'spread-selector-mismatch',
  category: 'scheduling',
  defaultSeverity: 'error',
  seed: 'Schedule replicas across nodes',
  description:
    "An anti-affinity term or spread constraint whose selector does not select the workload's own pods spreads nothing.",
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
