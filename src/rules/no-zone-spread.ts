import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-zone-spread',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description:
    'Replicas with no anti-affinity or spread constraint per zone may all land in one Availability Zone.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
