import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'deprecated-topology-key',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description:
    'failure-domain.beta.kubernetes.io labels are deprecated; nodes carry topology.kubernetes.io labels.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
