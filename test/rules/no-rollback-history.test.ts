import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-rollback-history.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'unset (the apps/v1 default keeps 10), and a small history that still allows one undo',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-default }
        spec: { replicas: 3 }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-one }
        spec: { replicas: 3, revisionHistoryLimit: 1 }
      `,
    },
    {
      name: 'a Deployment switched off, kinds without revisions, a Rollout of another API group',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec: { replicas: 0, revisionHistoryLimit: 0 }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: pass-rs }
        spec: { replicas: 2, revisionHistoryLimit: 0 }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-cron }
        spec: { successfulJobsHistoryLimit: 0 }
        ---
        apiVersion: example.com/v1
        kind: Rollout
        metadata: { name: pass-other }
        spec: { revisionHistoryLimit: 0 }
      `,
    },
  ],
  invalid: [
    {
      name: 'a Deployment with revisionHistoryLimit: 0',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          revisionHistoryLimit: 0
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'zero',
          path: '/spec/revisionHistoryLimit',
          line: 6,
          column: 3,
          data: { kind: 'Deployment', store: 'old ReplicaSets', undo: 'kubectl rollout undo' },
          message: '("no rollout history found for deployment")',
        },
      ],
    },
    {
      // kubectl's statefulSetRollbacker and DaemonSetRollbacker read ControllerRevisions and refuse
      // "no last revision to roll back to" when only one is left (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go).
      name: 'StatefulSet and DaemonSet: their ControllerRevisions serve rollout undo the same way',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec: { replicas: 3, revisionHistoryLimit: 0 }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          revisionHistoryLimit: 0
      `,
      errors: [
        {
          object: 'fail-db',
          line: 4,
          data: { kind: 'StatefulSet', store: 'ControllerRevisions but the current one' },
          message: 'no last revision to roll back to',
        },
        { object: 'fail-agent', line: 10, data: { kind: 'DaemonSet' } },
      ],
    },
    {
      // kubectl-argo-rollouts undo reads the Rollout's ReplicaSets: "no revision found for rollout".
      name: 'an Argo Rollout',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec:
          replicas: 2
          revisionHistoryLimit: 0
          strategy: { canary: {} }
      `,
      errors: [
        {
          object: 'fail-rollout',
          line: 6,
          data: { kind: 'Rollout', undo: 'kubectl argo rollouts undo' },
          message: 'no revision found for rollout',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the Deployment and the field; what undo then says is the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          revisionHistoryLimit: 0
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
    );
    expect(f!.message).toBe('Deployment web keeps no rollback history (revisionHistoryLimit: 0)');
    expect(f!.detail).toBe(
      'Its controller deletes all old ReplicaSets once an update completes: `kubectl rollout undo` then fails ("no rollout history found for deployment") and `kubectl rollout history` shows nothing to return to. Remove the field (the default keeps 10) or keep at least 2.',
    );
  });
});
