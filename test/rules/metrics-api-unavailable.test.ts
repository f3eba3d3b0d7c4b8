import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/metrics-api-unavailable.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

// APIServices as `kubectl get apiservice -o yaml` shows them: the aggregator's availability controller
// writes the Available condition (kube-aggregator pkg/controllers/status).
const metricsAvailable = yaml`
  apiVersion: apiregistration.k8s.io/v1
  kind: APIService
  metadata: { name: v1beta1.metrics.k8s.io }
  spec: { group: metrics.k8s.io, version: v1beta1, service: { name: metrics-server, namespace: kube-system } }
  status:
    conditions:
      - { type: Available, status: "True", reason: Passed, message: all checks passed }
`;

const cpuHpa = (name: string) => yaml`
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: ${name}, namespace: shop }
  spec:
    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    minReplicas: 2
    maxReplicas: 10
    metrics:
      - type: Resource
        resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

testRule(rule, {
  valid: [
    {
      name: 'a cpu HPA with the metrics API Available',
      yaml: `${cpuHpa('pass-web')}---\n${metricsAvailable}`,
    },
    {
      name: 'an External metric served by an Available external metrics API (KEDA)',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-queue, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: worker }
          maxReplicas: 10
          metrics:
            - type: External
              external:
                metric: { name: s0-aws-sqs-queue, selector: { matchLabels: { scaledobject.keda.sh/name: worker } } }
                target: { type: AverageValue, averageValue: "5" }
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata: { name: v1beta1.external.metrics.k8s.io }
        spec: { group: external.metrics.k8s.io, version: v1beta1, service: { name: keda-operator-metrics-apiserver, namespace: keda } }
        status:
          conditions: [{ type: Available, status: "True", reason: Passed }]
      `,
    },
    {
      // The HPA controller's custom metrics client takes the preferred served version
      // (k8s.io/metrics/pkg/client/custom_metrics/multi_client.go): v1beta2 alone is enough.
      name: 'a Pods metric served by custom.metrics.k8s.io v1beta2 only',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-rps, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 10
          metrics:
            - type: Pods
              pods: { metric: { name: http_requests_per_second }, target: { type: AverageValue, averageValue: "100" } }
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata: { name: v1beta2.custom.metrics.k8s.io }
        spec: { group: custom.metrics.k8s.io, version: v1beta2, service: { name: prometheus-adapter, namespace: monitoring } }
        status:
          conditions: [{ type: Available, status: "True", reason: Passed }]
      `,
    },
    {
      name: 'APIServices could not be listed (403): a missing one proves nothing',
      yaml: cpuHpa('pass-web'),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'APIService') },
    },
    { name: 'kubeha check (no cluster facts) stays quiet', yaml: cpuHpa('pass-web'), cluster: false },
  ],
  invalid: [
    {
      // autoscaling/v2 defaults an HPA without metrics to 80% cpu (pkg/apis/autoscaling/v2/defaults.go).
      name: 'an HPA without metrics (cpu by default) and no metrics server',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-web, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 5
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          path: '/spec/metrics',
          line: 4,
          data: { service: 'v1beta1.metrics.k8s.io', api: 'resource', target: 'Deployment web' },
          message: 'Install the Kubernetes metrics server',
        },
      ],
    },
    {
      name: 'cpu and an external metric: metrics API failing its discovery check, no external metrics API',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-mixed, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: db }
          maxReplicas: 5
          metrics:
            - type: ContainerResource
              containerResource: { name: cpu, container: app, target: { type: Utilization, averageUtilization: 60 } }
            - type: External
              external: { metric: { name: queue_depth }, target: { type: Value, value: "30" } }
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata: { name: v1beta1.metrics.k8s.io }
        spec: { group: metrics.k8s.io, version: v1beta1, service: { name: metrics-server, namespace: kube-system } }
        status:
          conditions:
            - type: Available
              status: "False"
              reason: FailedDiscoveryCheck
              message: 'failing or missing response from https://10.100.4.12:10250/apis/metrics.k8s.io/v1beta1: Get "https://10.100.4.12:10250/apis/metrics.k8s.io/v1beta1": context deadline exceeded'
      `,
      errors: [
        {
          object: 'fail-mixed',
          messageId: 'unavailable',
          path: '/spec/metrics/0',
          line: 8,
          data: { service: 'v1beta1.metrics.k8s.io', api: 'resource', target: 'StatefulSet db' },
          message:
            /not Available \(FailedDiscoveryCheck: failing or missing response from https:\/\/10\.100\.4\.12.*…\)/,
        },
        {
          object: 'fail-mixed',
          messageId: 'missing',
          path: '/spec/metrics/1',
          line: 10,
          data: { service: 'v1beta1.external.metrics.k8s.io', api: 'external' },
        },
      ],
    },
    {
      name: 'an Object metric with a custom metrics APIService the aggregator has not judged yet',
      yaml: yaml`
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-ingress, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 5
          metrics:
            - type: Object
              object:
                describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: main }
                metric: { name: requests_per_second }
                target: { type: Value, value: "2k" }
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata: { name: v1beta1.custom.metrics.k8s.io }
        spec: { group: custom.metrics.k8s.io, version: v1beta1, service: { name: prometheus-adapter, namespace: monitoring } }
      `,
      errors: [
        {
          object: 'fail-ingress',
          messageId: 'unavailable',
          path: '/spec/metrics/0',
          data: { service: 'v1beta1.custom.metrics.k8s.io', api: 'custom', reason: 'no Available condition' },
        },
      ],
    },
    {
      name: 'an autoscaling/v1 HPA scales on cpu',
      yaml: yaml`
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-v1, namespace: shop }
        spec:
          scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          maxReplicas: 5
          targetCPUUtilizationPercentage: 50
      `,
      errors: [
        { object: 'fail-v1', messageId: 'missing', path: '/spec/targetCPUUtilizationPercentage', line: 7 },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the HPA and the APIService it lacks; the target that stays put and the provider are the detail', () => {
    const [f] = findingsOfRule(rule, cpuHpa('web'));
    expect(f!.message).toBe(
      'HPA web cannot read metrics: APIService v1beta1.metrics.k8s.io is not registered',
    );
    expect(f!.detail).toBe(
      'It scales Deployment web on resource metrics, which the HPA controller cannot read, so Deployment web stays at its current size. Install the Kubernetes metrics server.',
    );
  });
});
