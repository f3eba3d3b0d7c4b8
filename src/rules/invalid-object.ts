import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'invalid-object',
  category: 'hygiene',
  defaultSeverity: 'error',
  seed: '(manifest hygiene)',
  description:
    'A document without apiVersion or kind, or with a field of the wrong type, is rejected by the API server.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
