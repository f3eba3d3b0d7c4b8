import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-graceful-shutdown',
  category: 'disruptions',
  defaultSeverity: 'warning',
  seed: 'Disruptions',
  description: 'A Service-backed container that stops at once drops requests that are still routed to it.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
