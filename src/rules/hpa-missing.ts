import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-missing',
  category: 'autoscaling',
  defaultSeverity: 'info',
  seed: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'A Deployment or StatefulSet with no HorizontalPodAutoscaler cannot absorb a surge of traffic.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
