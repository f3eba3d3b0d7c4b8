import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-node-spread',
  category: 'scheduling',
  defaultSeverity: 'warning',
  seed: 'Schedule replicas across nodes',
  description:
    'Replicas with no anti-affinity or spread constraint per node may all land on one node and fail together.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
