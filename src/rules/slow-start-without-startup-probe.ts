import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'slow-start-without-startup-probe',
  category: 'health',
  defaultSeverity: 'warning',
  seed: 'Use Startup Probe for applications that take longer to start',
  description:
    'A long liveness initialDelaySeconds delays failure detection on every start; a startup probe protects slow starts instead.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
