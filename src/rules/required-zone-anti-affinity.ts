import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'required-zone-anti-affinity',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description: 'Required pod anti-affinity per zone leaves every replica beyond the zone count Pending.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
