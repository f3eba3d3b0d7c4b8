import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-missing-requests',
  category: 'autoscaling',
  defaultSeverity: 'error',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'An HPA on resource utilisation cannot compute it for containers without that resource request.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
