import rule from '../../src/rules/hpa-invalid-range.js';
import { testRule, yaml } from '../rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'maxReplicas above minReplicas, and above the default minReplicas of 1',
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
          maxReplicas: 2
      `,
    },
  ],
  invalid: [
    {
      // pkg/apis/autoscaling/validation: "must be greater than or equal to `minReplicas`", reported on maxReplicas.
      name: 'maxReplicas below minReplicas',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-web }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
          minReplicas: 5
          maxReplicas: 3
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'below',
          line: 7,
          column: 3,
          severity: 'error',
          data: { min: 5, max: 3 },
          message: 'the API server rejects it',
        },
      ],
    },
    {
      name: 'equal bounds cannot scale (a warning), with minReplicas unset compared as 1',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-fixed }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
          minReplicas: 3
          maxReplicas: 3
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-one }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          maxReplicas: 1
      `,
      errors: [
        { object: 'fail-fixed', messageId: 'equal', line: 7, severity: 'warning', data: { min: 3 } },
        { object: 'fail-one', messageId: 'equal', line: 14, severity: 'warning', data: { min: 1 } },
      ],
    },
    {
      // maxReplicas is required, and "must be greater than 0".
      name: 'maxReplicas missing or zero',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-unset }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-zero }
        spec:
          scaleTargetRef: { kind: Deployment, name: web }
          maxReplicas: 0
      `,
      errors: [
        { object: 'fail-unset', messageId: 'unset', line: 4, severity: 'error' },
        { object: 'fail-zero', messageId: 'nonPositive', line: 12, severity: 'error', data: { max: 0 } },
      ],
    },
  ],
});
