import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/missing-resource-requests.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      // A limit without a request defaults the request to the limit (pkg/apis/core/v1/defaults.go).
      name: 'requests set, or implied by limits; regular init containers are not judged',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template:
            spec:
              initContainers:
                - { name: migrate, image: migrate }
              containers:
                - name: app
                  image: app
                  resources: { requests: { cpu: 250m, memory: 256Mi } }
                - name: logger
                  image: fluent-bit
                  resources: { limits: { cpu: 100m, memory: 64Mi } }
                - name: mixed
                  image: mixed
                  resources: { requests: { cpu: 10m }, limits: { memory: 32Mi } }
      `,
    },
    {
      // SetDefaults_LimitRangeItem: default, max and min all give a defaultRequest that LimitRanger fills in.
      name: 'a LimitRange of the namespace supplies default requests',
      yaml: yaml`
        apiVersion: v1
        kind: LimitRange
        metadata: { name: defaults, namespace: shop }
        spec:
          limits:
            - type: Container
              defaultRequest: { cpu: 100m }
              default: { memory: 256Mi }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, namespace: shop }
        spec:
          template: { spec: { containers: [{ name: app, image: app }] } }
      `,
    },
    {
      // KEP-2837, PodLevelResources beta and on by default from 1.34: the containers share the pod's requests.
      name: 'pod-level requests at 1.34',
      kubeVersion: '1.34',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: pass-pod }
        spec:
          resources: { requests: { cpu: '1', memory: 1Gi } }
          containers: [{ name: app, image: app }, { name: helper, image: helper }]
      `,
    },
  ],
  invalid: [
    {
      name: 'no resources at all, and only cpu',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: app
                - name: proxy
                  image: envoy
                  resources:
                    requests: { cpu: 50m }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'both',
          // The container has no resources: the location is its list item.
          line: 8,
          column: 11,
          path: '/spec/template/spec/containers/0/resources/requests',
          data: { container: 'app', workload: 'Deployment fail-web', missing: 'cpu and memory' },
          message: 'Set resources.requests.cpu and resources.requests.memory',
        },
        {
          object: 'fail-web',
          messageId: 'one',
          line: 13,
          column: 13,
          path: '/spec/template/spec/containers/1/resources/requests',
          data: { container: 'proxy', missing: 'memory' },
          message: 'Set resources.requests.memory.',
        },
      ],
    },
    {
      // The kubelet runs native sidecars (restartPolicy: Always init containers) for the pod's whole life.
      name: 'a native sidecar, a CronJob, a bare Pod and an Argo Rollout',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template:
            spec:
              initContainers:
                - { name: proxy, image: envoy, restartPolicy: Always, resources: { requests: { memory: 32Mi } } }
              containers:
                - { name: db, image: db, resources: { requests: { cpu: '1', memory: 2Gi } } }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: fail-report }
        spec:
          schedule: '0 * * * *'
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{ name: report, image: report, resources: { limits: { memory: 1Gi } } }]
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec:
          containers: [{ name: app, image: app }]
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec:
          template: { spec: { containers: [{ name: app, image: app, resources: { requests: { cpu: 1m } } }] } }
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'one',
          line: 8,
          path: '/spec/template/spec/initContainers/0/resources/requests',
          data: { container: 'proxy', missing: 'cpu', workload: 'StatefulSet fail-db' },
        },
        { object: 'fail-report', messageId: 'one', line: 21, data: { container: 'report', missing: 'cpu' } },
        { object: 'fail-pod', messageId: 'both', line: 27, data: { workload: 'Pod fail-pod' } },
        { object: 'fail-rollout', messageId: 'one', line: 33, data: { missing: 'memory' } },
      ],
    },
    {
      name: 'pod-level requests are ignored before 1.34; a LimitRange of another namespace does not apply',
      kubeVersion: '1.33',
      yaml: yaml`
        apiVersion: v1
        kind: LimitRange
        metadata: { name: defaults, namespace: other }
        spec:
          limits: [{ type: Container, defaultRequest: { cpu: 100m, memory: 128Mi } }]
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec:
          resources: { requests: { cpu: '1', memory: 1Gi } }
          containers: [{ name: app, image: app }]
      `,
      errors: [{ object: 'fail-pod', messageId: 'both', line: 12 }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; the scheduling and HPA consequences are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          template: { spec: { containers: [{ name: app, image: nginx }] } }
      `,
    );
    expect(f!.message).toBe('Container app of Deployment web has no cpu or memory request');
    expect(f!.detail).toBe(
      'The scheduler places it as if it needed nothing, so nodes get overcommitted and it is evicted first under pressure, and an HPA cannot compute its utilisation. Set resources.requests.cpu and resources.requests.memory.',
    );
  });
});
