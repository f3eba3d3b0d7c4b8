import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'yaml-syntax',
  category: 'hygiene',
  defaultSeverity: 'error',
  scope: 'load',
  seed: '(manifest hygiene)',
  description: 'A document that does not parse is not applied at all.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
