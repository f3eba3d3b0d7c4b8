import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/singleton-pod.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'a pod owned by a ReplicaSet',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: pass-web-7d4f9
          ownerReferences:
            - { apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4f, uid: x, controller: true }
        spec:
          containers: [{ name: app, image: nginx }]
      `,
    },
    {
      name: 'a Deployment',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec: { replicas: 2 }
      `,
    },
  ],
  invalid: [
    {
      name: 'a bare pod, and a bare one-shot pod',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-web }
        spec:
          containers: [{ name: app, image: nginx }]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: fail-migrate
          ownerReferences:
            - { apiVersion: v1, kind: ConfigMap, name: not-a-controller, uid: y }
        spec:
          restartPolicy: Never
          containers: [{ name: app, image: migrate }]
      `,
      errors: [
        { object: 'fail-web', messageId: 'service', line: 2, column: 1, message: 'Run it from a Deployment' },
        { object: 'fail-migrate', messageId: 'oneShot', line: 8, message: 'Run it as a Job' },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the bare pod; why and what to do are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: debug }
        spec: { containers: [{ name: app, image: nginx }] }
      `,
    );
    expect(f!.message).toBe('Pod debug has no controller');
    expect(f!.detail).toBe(
      'When it is evicted, deleted or its node fails, nothing recreates it. Run it from a Deployment (a StatefulSet if it keeps state) with 2 or more replicas.',
    );
  });
});
