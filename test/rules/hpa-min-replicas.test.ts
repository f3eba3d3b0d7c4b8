import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-min-replicas.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'minReplicas 2 and 3, in autoscaling/v2 and autoscaling/v1',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-web }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
          minReplicas: 2
          maxReplicas: 10
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-api }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          minReplicas: 3
          maxReplicas: 6
          targetCPUUtilizationPercentage: 70
      `,
    },
    {
      // KEDA's minReplicaCount defaults to 0 on purpose (scale to zero for event-driven work): not this rule's business.
      name: 'a KEDA ScaledObject that scales to zero',
      yaml: yaml`
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: pass-worker }
        spec:
          scaleTargetRef: { name: worker }
          triggers: [{ type: rabbitmq, metadata: { queueName: jobs, value: '10' } }]
      `,
    },
  ],
  invalid: [
    {
      // pkg/apis/autoscaling/v2/defaults.go: an unset minReplicas is defaulted to 1.
      name: 'minReplicas unset (defaults to 1)',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: fail-web
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 10
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'unset',
          // minReplicas is missing: the location falls back to spec.
          line: 5,
          column: 1,
          path: '/spec/minReplicas',
          data: { target: 'Deployment web', min: 1, advice: '' },
          message: 'scales Deployment web down to 1 pod',
        },
      ],
    },
    {
      name: 'minReplicas 1, with maxReplicas 1 too (raise both), and minReplicas 0 (scale to zero)',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-one }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: db }
          minReplicas: 1
          maxReplicas: 1
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-zero }
        spec:
          scaleTargetRef: { kind: Deployment, name: queue-worker }
          minReplicas: 0
          maxReplicas: 5
      `,
      errors: [
        {
          object: 'fail-one',
          messageId: 'one',
          line: 6,
          column: 3,
          data: { target: 'StatefulSet db' },
          message: 'and maxReplicas above it (it is 1)',
        },
        {
          object: 'fail-zero',
          messageId: 'zero',
          line: 14,
          message: 'HPAScaleToZero',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the HPA, its floor and its target; the outage and the fix are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          minReplicas: 1
          maxReplicas: 1
      `,
    );
    expect(f!.message).toBe('HPA web has minReplicas 1, so it scales Deployment web down to 1 pod');
    expect(f!.detail).toBe(
      'When load is low it runs 1 pod, and then one crash, eviction or node failure is an outage. Set minReplicas: 2 or more (3 to ride out the loss of a zone), and maxReplicas above it (it is 1).',
    );
  });
});
