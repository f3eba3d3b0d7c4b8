import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'duplicate-key',
  category: 'hygiene',
  defaultSeverity: 'error',
  scope: 'load',
  seed: '(manifest hygiene)',
  description: 'A repeated key in a YAML mapping silently drops the earlier value.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
