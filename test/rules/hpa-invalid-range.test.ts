import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
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

describe('hpa-invalid-range: headline and detail', () => {
  it('the headline names the HPA and its maxReplicas; minReplicas, the consequence and the fix are the detail', () => {
    const text = yaml`
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: web }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        minReplicas: 3
        maxReplicas: 2
    `;
    const { objects, problems } = parseManifests(text, 'hpa.yaml');
    const [f] = check(objects, { problems }).findings.filter((x) => x.rule === 'hpa-invalid-range');
    expect(f?.message).toBe('HPA web sets maxReplicas 2, below its minReplicas');
    expect(f?.detail).toBe(
      'maxReplicas 2 is below minReplicas 3: the API server rejects it (spec.maxReplicas must be greater than or equal to minReplicas), so nothing autoscales the workload. Set maxReplicas to more than 3.',
    );
  });
});
