import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'probe-port-mismatch',
  category: 'health',
  defaultSeverity: 'error',
  seed: 'Health checks and self-healing',
  description: 'A probe that names a port the container does not declare always fails.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
