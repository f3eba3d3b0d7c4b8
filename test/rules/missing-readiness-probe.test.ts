import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/missing-readiness-probe.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const service = (name: string, extra = '') => `---
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]${extra}
`;

testRule(rule, {
  valid: [
    {
      // Ready once it runs is the truth for a helper that serves nothing; its readiness gates no traffic.
      name: 'a native sidecar that declares no port and is not behind a Service',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-agent }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                initContainers:
                  - name: log-agent
                    image: fluent-bit
                    restartPolicy: Always
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
                    readinessProbe: { httpGet: { path: /ready, port: http } }
        ` + service('web'),
    },
    {
      name: 'every app container and sidecar has a readiness probe, behind a Service',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-web }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                initContainers:
                  - name: migrate
                    image: migrate
                  - name: proxy
                    image: envoy
                    restartPolicy: Always
                    readinessProbe: { httpGet: { path: /ready, port: 15021 } }
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
                    readinessProbe: { httpGet: { path: /ready, port: http } }
        ` + service('web'),
    },
    {
      // Workload.longRunning: Jobs, CronJobs and Pods with restartPolicy Never/OnFailure run to completion.
      name: 'run-to-completion workloads, even when a Service selects them',
      yaml:
        yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: { name: pass-job }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec: { restartPolicy: Never, containers: [{ name: job, image: job }] }
          ---
          apiVersion: batch/v1
          kind: CronJob
          metadata: { name: pass-cron }
          spec:
            schedule: '@hourly'
            jobTemplate:
              spec:
                template: { spec: { restartPolicy: OnFailure, containers: [{ name: job, image: job }] } }
          ---
          apiVersion: v1
          kind: Pod
          metadata: { name: pass-once, labels: { app: web } }
          spec: { restartPolicy: Never, containers: [{ name: task, image: task }] }
        ` + service('web'),
    },
    {
      name: 'an Argo Rollout with a workloadRef has no template of its own',
      yaml: yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec:
          replicas: 3
          workloadRef: { apiVersion: apps/v1, kind: Deployment, name: somewhere-else }
      `,
    },
  ],
  invalid: [
    {
      name: 'no Service: a warning on the container',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          severity: 'warning',
          line: 8,
          column: 11,
          path: '/spec/template/spec/containers/0/readinessProbe',
          data: { container: 'app', workload: 'Deployment fail-web', role: 'Container' },
          message: 'Add a readinessProbe',
        },
      ],
    },
    {
      name: 'a Service selects the pods: an error naming the Service (ExternalName and other namespaces do not count)',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-web }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
        ` +
        service('web') +
        service('alias', '\n  type: ExternalName\n  externalName: web.example.com') +
        service('elsewhere').replace('name: elsewhere', 'name: elsewhere, namespace: other'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'service',
          severity: 'error',
          line: 9,
          data: { services: 'Service web', container: 'app' },
          message: 'The pod gets traffic from Service web, yet the container counts as ready',
        },
      ],
    },
    {
      // publishNotReadyAddresses: the endpoints ignore readiness, so that Service does not raise it to an error.
      name: 'only a Service that publishes not-ready addresses: a warning',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: { name: fail-db }
          spec:
            serviceName: db-peers
            template:
              metadata: { labels: { app: web } }
              spec:
                containers:
                  - name: db
                    image: db
        ` + service('db-peers', '\n  clusterIP: None\n  publishNotReadyAddresses: true'),
      errors: [{ object: 'fail-db', messageId: 'missing', severity: 'warning', line: 10 }],
    },
    {
      name: 'two Services; only the container that serves their port is an error, a native sidecar with a port is checked too',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-web }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                initContainers:
                  - name: log-agent
                    image: fluent-bit
                    restartPolicy: Always
                    ports: [{ name: fluent-http, containerPort: 2020 }]
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
                  - name: metrics
                    image: exporter
                    ports: [{ name: metrics, containerPort: 9100 }]
        ` +
        service('web') +
        service('web-internal'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'service',
          severity: 'error',
          line: 14,
          data: { container: 'app', services: 'Services web, web-internal' },
        },
        {
          object: 'fail-web',
          messageId: 'missing',
          severity: 'warning',
          line: 17,
          data: { container: 'metrics' },
        },
        {
          object: 'fail-web',
          messageId: 'missing',
          severity: 'warning',
          line: 9,
          data: { container: 'log-agent', role: 'Sidecar' },
          message: 'Sidecar log-agent of Deployment fail-web',
        },
      ],
    },
    {
      name: 'every long-running kind: StatefulSet, DaemonSet, ReplicaSet, Argo Rollout, a bare Pod',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-sts }
        spec: { template: { spec: { containers: [{ name: db, image: db }] } } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-ds }
        spec: { template: { spec: { containers: [{ name: agent, image: agent }] } } }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: fail-rs }
        spec: { template: { spec: { containers: [{ name: app, image: app }] } } }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: fail-rollout }
        spec: { template: { spec: { containers: [{ name: app, image: app }] } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec: { containers: [{ name: app, image: app }] }
      `,
      errors: [
        { object: 'fail-sts', line: 4, data: { workload: 'StatefulSet fail-sts' } },
        { object: 'fail-ds', line: 9, data: { workload: 'DaemonSet fail-ds' } },
        { object: 'fail-rs', line: 14, data: { workload: 'ReplicaSet fail-rs' } },
        { object: 'fail-rollout', line: 19, data: { workload: 'Rollout fail-rollout' } },
        {
          object: 'fail-pod',
          line: 24,
          path: '/spec/containers/0/readinessProbe',
          data: { workload: 'Pod fail-pod' },
        },
      ],
    },
    {
      name: 'a Deployment that an Argo Rollout runs through workloadRef, behind the Service',
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
            template:
              metadata: { labels: { app: web } }
              spec:
                containers:
                  - name: app
                    image: web
        ` + service('web'),
      errors: [{ object: 'fail-template', messageId: 'service', severity: 'error', line: 16 }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; why and what to do are the detail', () => {
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
    expect(f!.message).toBe('Container app of Deployment web has no readinessProbe');
    expect(f!.detail).toMatch(
      /^The kubelet reports it Ready as soon as it starts.*Add a readinessProbe \(httpGet on a \/ready endpoint, or tcpSocket on the port it serves\) so it is marked unready until it can take work\.$/,
    );
  });
});
