import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-missing-requests.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const hpaOnCpu = (target: string, kind = 'Deployment') => `
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${target}-hpa }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: ${kind}, name: ${target} }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

testRule(rule, {
  valid: [
    {
      name: 'every app container and native sidecar requests cpu (a limit alone defaults the request)',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-web }
          spec:
            template:
              spec:
                initContainers:
                  - name: migrate
                    image: migrate
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    resources: { requests: { cpu: 50m } }
                containers:
                  - name: app
                    image: app
                    resources: { requests: { cpu: 250m } }
                  - name: logger
                    image: fluent-bit
                    resources: { limits: { cpu: 100m } }
        ` + hpaOnCpu('pass-web'),
    },
    {
      name: 'metrics that do not divide by requests: AverageValue, Pods, External',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-web }
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: { name: memory, target: { type: AverageValue, averageValue: 500Mi } }
            - type: Pods
              pods:
                metric: { name: requests_per_second }
                target: { type: AverageValue, averageValue: '100' }
            - type: External
              external:
                metric: { name: sqs_messages_visible }
                target: { type: AverageValue, averageValue: '30' }
      `,
    },
    {
      name: 'a ContainerResource metric only needs the request on the container it names',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template:
            spec:
              containers:
                - { name: app, image: app, resources: { requests: { memory: 256Mi } } }
                - { name: sidecar, image: envoy }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web }
        spec:
          scaleTargetRef: { kind: Deployment, name: pass-web }
          maxReplicas: 10
          metrics:
            - type: ContainerResource
              containerResource:
                name: memory
                container: app
                target: { type: Utilization, averageUtilization: 60 }
      `,
    },
    {
      // SetDefaults_LimitRangeItem: default, max and min all give a defaultRequest that LimitRanger fills in.
      name: 'a LimitRange of the namespace gives containers a default request',
      yaml:
        yaml`
          apiVersion: v1
          kind: LimitRange
          metadata: { name: defaults, namespace: shop }
          spec:
            limits:
              - type: Container
                max: { cpu: '2' }
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-web, namespace: shop }
          spec:
            template: { spec: { containers: [{ name: app, image: app }] } }
        ` + hpaOnCpu('pass-web').replace('pass-web-hpa }', 'pass-web-hpa, namespace: shop }'),
    },
    {
      // KEP-2837: from 1.34 (PodLevelResources beta) the HPA reads pod-level requests when the pod sets them.
      name: 'pod-level requests at Kubernetes 1.34',
      kubeVersion: '1.34',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-web }
          spec:
            template:
              spec:
                resources: { limits: { cpu: '1', memory: 1Gi } }
                containers: [{ name: app, image: app }, { name: helper, image: helper }]
        ` + hpaOnCpu('pass-web'),
    },
    {
      name: 'targets that are absent, switched off or not the HPA kind',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-off }
          spec:
            replicas: 0
            template: { spec: { containers: [{ name: app, image: app }] } }
        ` +
        hpaOnCpu('pass-off') +
        hpaOnCpu('pass-absent'),
    },
  ],
  invalid: [
    {
      name: 'one container of two lacks the cpu request',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-web }
          spec:
            template:
              spec:
                containers:
                  - name: app
                    image: app
                    resources:
                      requests: { memory: 128Mi }
                  - name: logger
                    image: fluent-bit
                    resources: { requests: { cpu: 10m } }
        ` + hpaOnCpu('fail-web'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          // requests.cpu is missing: the location is the requests mapping.
          line: 11,
          column: 13,
          path: '/spec/template/spec/containers/0/resources/requests/cpu',
          data: {
            scaler: 'HPA fail-web-hpa',
            container: 'app',
            resource: 'cpu',
            metric: '70% cpu utilisation',
          },
          message: 'Set resources.requests.cpu on app',
        },
      ],
    },
    {
      // pkg/apis/autoscaling/v2/defaults.go and v1/conversion.go: no metrics means 80% cpu utilisation.
      name: 'HPAs without metrics scale on 80% cpu: autoscaling/v2 with none, autoscaling/v1 without a target',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web-v2 }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-web }
          maxReplicas: 10
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template: { spec: { containers: [{ name: db, image: db }] } }
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: db-v1 }
        spec:
          scaleTargetRef: { kind: StatefulSet, name: fail-db }
          maxReplicas: 3
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missingDefault',
          line: 5,
          data: { scaler: 'HPA web-v2', metric: '80% cpu utilisation', container: 'app' },
          message: '(the API default)',
        },
        { object: 'fail-db', messageId: 'missingDefault', line: 18, data: { scaler: 'HPA db-v1' } },
      ],
    },
    {
      name: 'autoscaling/v1 targetCPUUtilizationPercentage, and a v2beta1 memory targetAverageUtilization',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template:
            spec:
              containers:
                - { name: app, image: app, resources: { requests: { cpu: 100m } } }
        ---
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: web-v1 }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-web }
          maxReplicas: 10
          targetCPUUtilizationPercentage: 50
        ---
        apiVersion: autoscaling/v2beta1
        kind: HorizontalPodAutoscaler
        metadata: { name: web-v2beta1 }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-web }
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: { name: memory, targetAverageUtilization: 75 }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          line: 8,
          path: '/spec/template/spec/containers/0/resources/requests/memory',
          data: { scaler: 'HPA web-v2beta1', resource: 'memory', metric: '75% memory utilisation' },
        },
      ],
    },
    {
      // The HPA controller counts restartable init containers (native sidecars) with the app containers.
      name: 'a native sidecar without the request, and a ContainerResource naming a container that is not there',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: envoy
                  restartPolicy: Always
              containers:
                - { name: app, image: app, resources: { requests: { cpu: 100m } } }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-hpa }
        spec:
          scaleTargetRef: { kind: Deployment, name: fail-web }
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
            - type: ContainerResource
              containerResource:
                name: cpu
                container: application
                target: { type: Utilization, averageUtilization: 60 }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          // The sidecar has no resources at all: the location is its list item.
          line: 8,
          column: 11,
          path: '/spec/template/spec/initContainers/0/resources/requests/cpu',
          data: { container: 'proxy' },
        },
        {
          object: 'fail-hpa',
          messageId: 'noContainer',
          line: 26,
          column: 9,
          data: { container: 'application', containers: 'app, proxy' },
        },
      ],
    },
    {
      name: 'a KEDA cpu trigger with metricType Utilization',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-worker }
        spec:
          template: { spec: { containers: [{ name: worker, image: worker }] } }
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: { name: worker }
        spec:
          scaleTargetRef: { name: fail-worker }
          triggers:
            - type: cpu
              metricType: Utilization
              metadata: { value: '60' }
            - type: memory
              metadata: { type: AverageValue, value: 512Mi }
      `,
      errors: [
        {
          object: 'fail-worker',
          line: 5,
          data: { scaler: 'ScaledObject worker', metric: '60% cpu utilisation', container: 'worker' },
        },
      ],
    },
    {
      name: 'an Argo Rollout with workloadRef: the containers to fix are in the referenced Deployment',
      yaml:
        yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: { name: web }
          spec:
            workloadRef: { apiVersion: apps/v1, kind: Deployment, name: fail-template }
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-template }
          spec:
            replicas: 0
            template: { spec: { containers: [{ name: app, image: app }] } }
        ` + hpaOnCpu('web', 'Rollout'),
      errors: [
        {
          object: 'fail-template',
          line: 12,
          data: { scaler: 'HPA web-hpa', workload: 'Rollout web', container: 'app' },
        },
      ],
    },
    {
      name: 'pod-level requests before 1.34 are not read; at 1.34 they must cover the HPA resource',
      kubeVersion: '1.33',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-web }
          spec:
            template:
              spec:
                resources: { requests: { cpu: '1' } }
                containers: [{ name: app, image: app }]
        ` + hpaOnCpu('fail-web'),
      errors: [{ object: 'fail-web', messageId: 'missing', line: 8 }],
    },
    {
      name: 'pod-level memory only, with an HPA on cpu',
      kubeVersion: '1.34',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-web }
          spec:
            template:
              spec:
                resources: { requests: { memory: 1Gi } }
                containers: [{ name: app, image: app }]
        ` + hpaOnCpu('fail-web'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'podLevel',
          line: 7,
          path: '/spec/template/spec/resources/requests/cpu',
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the autoscaler, the container and the resource; the metric and the field to set are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
      ` + hpaOnCpu('web'),
    );
    expect(f!.message).toBe('HPA web-hpa cannot scale: app requests no cpu');
    expect(f!.detail).toBe(
      'It scales Deployment web on 70% cpu utilisation, but container app has no cpu request, so the HPA controller cannot compute utilisation ("missing request for cpu") and never scales. Set resources.requests.cpu on app.',
    );
  });
});
