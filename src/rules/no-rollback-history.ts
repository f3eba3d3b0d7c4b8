import { edit, setText, valueAt } from './fixes/build.js';
import { getAt } from '../model/json-path.js';
import { defineRule } from './define-rule.js';

/** What each kind keeps its revisions in, and what `undo` says when there are none. */
const HISTORY: Record<string, { store: string; undo: string; error: string } | undefined> = {
  Deployment: {
    store: 'old ReplicaSets',
    undo: 'kubectl rollout undo',
    error: 'no rollout history found for deployment',
  },
  StatefulSet: {
    store: 'ControllerRevisions but the current one',
    undo: 'kubectl rollout undo',
    error: 'no last revision to roll back to',
  },
  DaemonSet: {
    store: 'ControllerRevisions but the current one',
    undo: 'kubectl rollout undo',
    error: 'no last revision to roll back to',
  },
  Rollout: {
    store: 'old ReplicaSets',
    undo: 'kubectl argo rollouts undo',
    error: 'no revision found for rollout',
  },
};

export default defineRule({
  id: 'no-rollback-history',
  category: 'updates',
  defaultSeverity: 'warning',
  guide: 'Record changes to deployments when performing in-place upgrades',
  description:
    'revisionHistoryLimit 0 deletes old ReplicaSets, so kubectl rollout undo has nothing to go back to.',
  fixSafety: { kind: 'safe' },
  messages: {
    zero: {
      headline: '{{kind}} {{name}} keeps no rollback history (revisionHistoryLimit: 0)',
      detail:
        'Its controller deletes all {{store}} once an update completes: `{{undo}}` then fails ("{{error}}") and `kubectl rollout history` shows nothing to return to. Remove the field (the default keeps 10) or keep at least 2.',
    },
  },
  // 10 is what the controllers keep when the field is left out; written out so the next reader sees it.
  fix: (target) =>
    edit(target.object, setText('spec.revisionHistoryLimit', valueAt(target.object, target.path), 10), {
      op: 'replace',
      path: target.path,
      value: 10,
    }),
  check({ index, report }) {
    for (const w of index.workloads) {
      const history = HISTORY[w.kind];
      // replicas: 0 is a workload switched off, or the template an Argo Rollout runs via workloadRef.
      if (!history || w.declaredReplicas === 0) continue;
      if (getAt(w.object.raw, '/spec/revisionHistoryLimit') !== 0) continue;
      report({
        object: w.object,
        path: '/spec/revisionHistoryLimit',
        messageId: 'zero',
        data: { kind: w.kind, name: w.object.name, ...history },
      });
    }
  },
});
