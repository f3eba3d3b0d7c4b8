import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/recreate-strategy.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'RollingUpdate written out, and the default (no strategy: apps/v1 defaults to RollingUpdate)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-rolling }
        spec:
          replicas: 3
          strategy: { type: RollingUpdate }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-default }
        spec: { replicas: 3 }
      `,
    },
    {
      name: 'a Deployment switched off (replicas: 0, as one run by an Argo Rollout workloadRef)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-off }
        spec:
          replicas: 0
          strategy: { type: Recreate }
      `,
    },
    {
      name: 'other kinds: a StatefulSet OnDelete, an Argo Rollout',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec:
          replicas: 3
          updateStrategy: { type: OnDelete }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 3
          strategy: { canary: {} }
      `,
    },
  ],
  invalid: [
    {
      name: 'Recreate on three replicas',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          replicas: 3
          strategy:
            type: Recreate
          template:
            spec:
              containers: [{ name: web, image: nginx }]
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'recreate',
          path: '/spec/strategy/type',
          line: 7,
          column: 5,
          data: { name: 'fail-web', pods: 'all 3 pods' },
          message: 'stops all 3 pods before starting new ones',
        },
      ],
    },
    {
      name: 'Recreate with replicas unset (1 pod) and with an HPA (up to its maxReplicas)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-solo }
        spec:
          strategy: { type: Recreate }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-scaled }
        spec:
          strategy: { type: Recreate }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: scaled }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: fail-scaled }
          minReplicas: 2
          maxReplicas: 8
      `,
      errors: [
        { object: 'fail-solo', line: 5, data: { pods: 'its only pod' } },
        { object: 'fail-scaled', line: 11, data: { pods: 'all its pods (up to 8)' } },
      ],
    },
    {
      name: 'Recreate with a ReadWriteOnce claim (or one not in the input): says when Recreate is legitimate',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-rwo }
        spec:
          strategy: { type: Recreate }
          template:
            spec:
              volumes:
                - name: data
                  persistentVolumeClaim: { claimName: data }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: data }
        spec: { accessModes: [ReadWriteOnce] }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-unknown-claim }
        spec:
          replicas: 2
          strategy: { type: Recreate }
          template:
            spec:
              volumes:
                - name: cache
                  persistentVolumeClaim: { claimName: elsewhere }
      `,
      errors: [
        {
          object: 'fail-rwo',
          messageId: 'claims',
          data: { claims: 'PersistentVolumeClaim data' },
          message: 'if that is a ReadWriteOnce volume Recreate is needed',
        },
        {
          object: 'fail-unknown-claim',
          messageId: 'claims',
          data: { claims: 'PersistentVolumeClaim elsewhere' },
        },
      ],
    },
    {
      name: 'Recreate with a ReadWriteMany claim gives Recreate no reason',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-rwx }
        spec:
          replicas: 2
          strategy: { type: Recreate }
          template:
            spec:
              volumes:
                - name: shared
                  persistentVolumeClaim: { claimName: shared }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: shared }
        spec: { accessModes: [ReadWriteMany] }
      `,
      errors: [{ object: 'fail-rwx', messageId: 'recreate' }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the Deployment and the pods an update stops; the fix is the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          replicas: 3
          strategy: { type: Recreate }
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
    );
    expect(f!.message).toBe('Deployment web uses strategy Recreate, so every update stops all 3 pods');
    expect(f!.detail).toBe(
      'Recreate stops all 3 pods before starting new ones, an outage on each update. Use type: RollingUpdate (maxUnavailable: 0, maxSurge: 1 keeps every replica serving).',
    );
  });
});
