import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'canary-target-missing',
  category: 'updates',
  defaultSeverity: 'warning',
  seed: 'Use Canary deployments',
  description: 'A canary whose target workload is not there never runs.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
