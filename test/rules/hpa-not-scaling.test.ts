import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-not-scaling.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const hpa = (name: string, conditions: string) => yaml`
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: ${name}, namespace: shop }
  spec:
    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    minReplicas: 2
    maxReplicas: 10
  status:
    currentReplicas: 2
    desiredReplicas: 2
    conditions:
${conditions}
`;

// Conditions as the HPA controller writes them (pkg/controller/podautoscaler/horizontal.go).
const healthy = `
      - { type: AbleToScale, status: "True", reason: ReadyForNewScale, message: recommended size matches current size }
      - { type: ScalingActive, status: "True", reason: ValidMetricFound, message: the HPA was able to successfully calculate a replica count from cpu resource utilization }
      - { type: ScalingLimited, status: "True", reason: TooFewReplicas, message: the desired replica count is less than the minimum replica count }`;

testRule(rule, {
  valid: [
    { name: 'able to scale and active (ScalingLimited is not a failure)', yaml: hpa('pass-web', healthy) },
    {
      // horizontal.go: "scaling is disabled since the replica count of the target is zero".
      name: 'a target switched off at replicas 0',
      yaml: hpa(
        'pass-off',
        `
      - { type: AbleToScale, status: "True", reason: SucceededGetScale }
      - { type: ScalingActive, status: "False", reason: ScalingDisabled, message: scaling is disabled since the replica count of the target is zero }`,
      ),
    },
    { name: 'an HPA with no status yet', yaml: hpa('pass-new', '      []') },
    {
      name: 'kubeha check (no cluster facts)',
      yaml: hpa('pass-web', `      - { type: AbleToScale, status: "False", reason: FailedGetScale }`),
      cluster: false,
    },
  ],
  invalid: [
    {
      name: 'ScalingActive False: no resource metrics',
      yaml: hpa(
        'fail-web',
        `
      - { type: AbleToScale, status: "True", reason: SucceededGetScale, message: the HPA controller was able to get the target's current scale }
      - type: ScalingActive
        status: "False"
        reason: FailedGetResourceMetric
        message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API'`,
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'notScaling',
          path: '/status/conditions/1',
          line: 14,
          data: { condition: 'ScalingActive', target: 'Deployment web' },
          message:
            /Resource metrics are missing: check the metrics server.* The HPA controller set ScalingActive to False \(FailedGetResourceMetric: the HPA was unable.*\)\.$/,
        },
      ],
    },
    {
      name: 'both conditions False, one with a reason kubeha has no hint for',
      yaml: hpa(
        'fail-both',
        `
      - { type: AbleToScale, status: "False", reason: FailedGetScale, message: 'deployments/scale.apps "web" not found' }
      - { type: ScalingActive, status: "False", reason: SomethingNew }`,
      ),
      errors: [
        {
          object: 'fail-both',
          path: '/status/conditions/0',
          line: 13,
          data: {
            condition: 'AbleToScale',
            reason: 'FailedGetScale: deployments/scale.apps "web" not found',
          },
          message: 'check that scaleTargetRef names an existing workload',
        },
        {
          object: 'fail-both',
          path: '/status/conditions/1',
          data: { condition: 'ScalingActive', reason: 'SomethingNew' },
          message: 'See kubectl describe hpa fail-both -n shop.',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the HPA, its target and the condition; the reason and the hint are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      hpa(
        'web',
        `      - { type: AbleToScale, status: "False", reason: FailedGetScale, message: 'deployments/scale.apps "web" not found' }`,
      ),
    );
    expect(f!.message).toBe('HPA web cannot scale Deployment web: AbleToScale is False');
    expect(f!.detail).toBe(
      'The HPA cannot read its target\'s scale: check that scaleTargetRef names an existing workload with a scale subresource. The HPA controller set AbleToScale to False (FailedGetScale: deployments/scale.apps "web" not found).',
    );
  });
});
