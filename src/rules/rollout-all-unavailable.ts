import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'rollout-all-unavailable',
  category: 'updates',
  defaultSeverity: 'error',
  seed: 'Updating applications',
  description: 'A rolling update whose maxUnavailable covers every replica takes the whole workload down.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
