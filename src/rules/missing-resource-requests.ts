import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'missing-resource-requests',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'Containers without cpu and memory requests cannot be autoscaled on utilisation or placed safely by the scheduler.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
