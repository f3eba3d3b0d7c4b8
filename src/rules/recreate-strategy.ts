import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'recreate-strategy',
  category: 'updates',
  defaultSeverity: 'warning',
  seed: 'Updating applications',
  description: 'The Recreate strategy stops every pod before starting new ones: each update is an outage.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
