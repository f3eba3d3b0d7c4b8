import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-rollback-history',
  category: 'updates',
  defaultSeverity: 'warning',
  seed: 'Record changes to deployments when performing in-place upgrades',
  description:
    'revisionHistoryLimit 0 deletes old ReplicaSets, so kubectl rollout undo has nothing to go back to.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
