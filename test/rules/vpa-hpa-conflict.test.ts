import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/vpa-hpa-conflict.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const web = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
  spec:
    template:
      spec:
        containers:
          - { name: app, image: app, resources: { requests: { cpu: 100m, memory: 128Mi } } }
          - { name: proxy, image: envoy, resources: { requests: { cpu: 50m, memory: 64Mi } } }
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: web }
  spec:
    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    minReplicas: 2
    maxReplicas: 10
    metrics:
      - type: Resource
        resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
  ---
`;

testRule(rule, {
  valid: [
    {
      // The autoscaler README: "VPA can be used with HPA on custom and external metrics"; Off and Initial never resize running pods.
      name: 'VPAs that never resize running pods (Off, Initial)',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-off }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            updatePolicy: { updateMode: 'Off' }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-initial }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            updatePolicy: { updateMode: Initial }
        `,
    },
    {
      name: 'the documented safe split: VPA on memory only (wildcard policy), HPA on cpu',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-memory }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
            resourcePolicy:
              containerPolicies:
                - { containerName: '*', controlledResources: [memory] }
        `,
    },
    {
      name: 'per-container policies: cpu of every container left alone (one by name, one switched Off)',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: pass-per-container }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            resourcePolicy:
              containerPolicies:
                - { containerName: app, controlledResources: [memory] }
                - { containerName: proxy, mode: 'Off' }
        `,
    },
    {
      name: 'an HPA on custom metrics only, and a VPA on another workload',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: api }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          maxReplicas: 10
          metrics:
            - type: Pods
              pods:
                metric: { name: http_requests_per_second }
                target: { type: AverageValue, averageValue: '50' }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: pass-api }
        spec:
          targetRef: { kind: Deployment, name: api }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: pass-other }
        spec:
          targetRef: { kind: Deployment, name: other }
      `,
    },
  ],
  invalid: [
    {
      // updateMode unset: Auto (older VPAs) / Recreate (newer), both update running pods.
      name: 'a VPA with the default mode and policies, on a workload an HPA scales on cpu',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-vpa }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        `,
      errors: [
        {
          object: 'fail-vpa',
          messageId: 'one',
          // updatePolicy is not written: the location falls back to spec.
          line: 25,
          column: 1,
          path: '/spec/updatePolicy/updateMode',
          data: {
            vpa: 'fail-vpa',
            mode: 'updateMode unset, so Auto',
            workload: 'Deployment web',
            scaler: 'HPA web',
            resource: 'cpu',
            other: 'memory',
          },
          message: 'controlledResources: [memory]',
        },
      ],
    },
    {
      name: 'Recreate, InPlaceOrRecreate and InPlace all resize running pods',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-recreate }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-inplace-or-recreate }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy:
              updateMode: InPlaceOrRecreate
          ---
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-inplace }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: InPlace }
        `,
      errors: [
        { object: 'fail-recreate', line: 27, column: 19, data: { mode: 'updateMode Recreate' } },
        {
          object: 'fail-inplace-or-recreate',
          line: 35,
          column: 5,
          data: { mode: 'updateMode InPlaceOrRecreate' },
        },
        { object: 'fail-inplace', line: 42, data: { mode: 'updateMode InPlace' } },
      ],
    },
    {
      name: 'a named container policy still controls cpu (it overrides the wildcard for that container)',
      yaml:
        web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: fail-vpa }
          spec:
            targetRef: { kind: Deployment, name: web }
            updatePolicy: { updateMode: Auto }
            resourcePolicy:
              containerPolicies:
                - { containerName: '*', controlledResources: [memory] }
                - { containerName: proxy, controlledResources: [cpu, memory] }
        `,
      errors: [{ object: 'fail-vpa', messageId: 'one', data: { resource: 'cpu' } }],
    },
    {
      name: 'an HPA with no metrics (80% cpu by default) and a ContainerResource memory metric, workload not in the input',
      yaml: yaml`
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: api }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          maxReplicas: 10
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: api-memory }
        spec:
          scaleTargetRef: { kind: Deployment, name: api }
          maxReplicas: 10
          metrics:
            - type: ContainerResource
              containerResource:
                name: memory
                container: app
                target: { type: AverageValue, averageValue: 1Gi }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: fail-api }
        spec:
          targetRef: { kind: Deployment, name: api }
          updatePolicy: { updateMode: Auto }
      `,
      errors: [
        { object: 'fail-api', messageId: 'one', line: 26, data: { scaler: 'HPA api', resource: 'cpu' } },
        {
          object: 'fail-api',
          messageId: 'one',
          line: 26,
          data: { scaler: 'HPA api-memory', resource: 'memory' },
        },
      ],
    },
    {
      name: 'a KEDA ScaledObject on cpu and memory against a VPA on both',
      yaml: yaml`
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: worker }
        spec:
          scaleTargetRef: { name: worker }
          triggers:
            - { type: cpu, metricType: Utilization, metadata: { value: '60' } }
            - { type: memory, metricType: Utilization, metadata: { value: '70' } }
        ---
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: { name: fail-worker }
        spec:
          targetRef: { kind: Deployment, name: worker }
          updatePolicy: { updateMode: Recreate }
      `,
      errors: [
        {
          object: 'fail-worker',
          messageId: 'both',
          line: 15,
          data: { scaler: 'ScaledObject worker', resource: 'cpu and memory' },
          message: 'Set updateMode: Off or Initial',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names both autoscalers and the resource they fight over; the mode and the ways out are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      web +
        yaml`
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: { name: web-vpa }
          spec:
            targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
            updatePolicy: { updateMode: Recreate }
        `,
    );
    expect(f!.message).toBe('VPA web-vpa and HPA web fight over cpu');
    expect(f!.detail).toBe(
      'The VPA (updateMode Recreate) resizes the cpu requests of Deployment web while HPA web scales it on cpu: every resize moves the utilisation the HPA reads, so the two autoscalers fight. Let the VPA control only memory (resourcePolicy.containerPolicies[].controlledResources: [memory]), set updateMode: Off or Initial, or scale the HPA on a custom or external metric.',
    );
  });
});
