import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-graceful-shutdown.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const service = `---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
`;

/** A Deployment behind the Service, with the given pod-spec lines and container `app` lines. */
const deployment = (name: string, app: string, pod = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    template:
      metadata: { labels: { app: web } }
      spec:${pod}
        containers:
          - name: app
            image: web
            ports: [{ name: http, containerPort: 8080 }]
${app}
`;

testRule(rule, {
  valid: [
    {
      // No virtual IP, so nothing keeps routing new requests to a terminating pod: its clients reconnect.
      name: 'a database StatefulSet behind a headless Service only',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec:
          serviceName: db
          template:
            metadata: { labels: { app: db } }
            spec: { containers: [{ name: postgres, image: postgres, ports: [{ name: pg, containerPort: 5432 }] }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: db }
        spec: { clusterIP: None, selector: { app: db }, ports: [{ port: 5432, targetPort: pg }] }
      `,
    },
    {
      name: 'a short native preStop sleep within the default grace period',
      yaml:
        deployment('pass-native', `            lifecycle: { preStop: { sleep: { seconds: 5 } } }`) + service,
    },
    {
      name: 'an exec sleep shorter than a raised grace period, and a hook whose duration is unknown',
      yaml:
        deployment(
          'pass-exec',
          `            lifecycle: { preStop: { exec: { command: [/bin/sh, -c, 'sleep 40 && nginx -s quit'] } } }`,
          '\n        terminationGracePeriodSeconds: 60',
        ) +
        '---\n' +
        deployment(
          'pass-http',
          `            lifecycle: { preStop: { httpGet: { path: /drain, port: http } } }`,
        ) +
        service,
    },
    {
      name: 'no Service, an ExternalName Service, or a Service in another namespace',
      yaml:
        deployment('pass-alone', '') +
        yaml`
          ---
          apiVersion: v1
          kind: Service
          metadata: { name: alias }
          spec: { type: ExternalName, externalName: web.example.com, selector: { app: web } }
          ---
          apiVersion: v1
          kind: Service
          metadata: { name: web, namespace: other }
          spec: { selector: { app: web }, ports: [{ port: 80 }] }
        `,
    },
    {
      name: 'a Job behind a Service, and a pod that runs to completion',
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
          apiVersion: v1
          kind: Pod
          metadata: { name: pass-once, labels: { app: web } }
          spec: { restartPolicy: OnFailure, containers: [{ name: task, image: task }] }
        ` + service,
    },
    {
      // Sidecars are stopped after the app containers; a container that serves no Service port gets no traffic.
      name: 'a native sidecar and a helper container that serves no Service port need no preStop',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: pass-helpers }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                initContainers:
                  - { name: proxy, image: envoy, restartPolicy: Always }
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
                    lifecycle: { preStop: { sleep: { seconds: 5 } } }
                  - name: logs
                    image: fluent-bit
        ` + service,
    },
    {
      name: 'a templated grace period: only a missing hook could be judged',
      yaml:
        deployment(
          'pass-templated',
          `            lifecycle: { preStop: { sleep: { seconds: 45 } } }`,
          "\n        terminationGracePeriodSeconds: '{{ .Values.grace }}'",
        ) + service,
    },
  ],
  invalid: [
    {
      name: 'a headless Service excuses only a StatefulSet, and only itself: a ClusterIP Service beside it still counts',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          serviceName: db-headless
          template:
            metadata: { labels: { app: db } }
            spec: { containers: [{ name: postgres, image: postgres, ports: [{ name: pg, containerPort: 5432 }] }] }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-web }
        spec:
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [{ name: web, image: web, ports: [{ name: http, containerPort: 8080 }] }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: db-headless }
        spec: { clusterIP: None, selector: { app: db }, ports: [{ port: 5432, targetPort: pg }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: db }
        spec: { selector: { app: db }, ports: [{ port: 5432, targetPort: pg }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: web }
        spec: { clusterIP: None, selector: { app: web }, ports: [{ port: 80, targetPort: http }] }
      `,
      errors: [
        { object: 'fail-db', messageId: 'noPreStop', line: 8, data: { services: 'Service db' } },
        { object: 'fail-web', messageId: 'noPreStop', line: 16, data: { services: 'Service web' } },
      ],
    },
    {
      name: 'no preStop hook',
      yaml: deployment('fail-web', '') + service,
      errors: [
        {
          object: 'fail-web',
          messageId: 'noPreStop',
          line: 9,
          column: 11,
          path: '/spec/template/spec/containers/0/lifecycle/preStop',
          data: {
            container: 'app',
            workload: 'Deployment fail-web',
            services: 'Service web',
            grace: '30 s by default',
          },
          message: 'Add lifecycle.preStop.sleep.seconds: 5',
        },
      ],
    },
    {
      // CheckGracefulDelete: a grace period of 0 deletes the pod at once; killContainer runs preStop only when the grace period is > 0.
      name: 'terminationGracePeriodSeconds 0: once for the workload, plus the container without a hook',
      yaml:
        yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: fail-zero }
          spec:
            template:
              metadata: { labels: { app: web } }
              spec:
                terminationGracePeriodSeconds: 0
                containers:
                  - name: app
                    image: web
                    ports: [{ name: http, containerPort: 8080 }]
                    lifecycle: { preStop: { sleep: { seconds: 5 } } }
                  - name: admin
                    image: admin
                    ports: [{ name: http, containerPort: 9090, protocol: UDP }]
        ` +
        service.replace('{ port: 80, targetPort: http }', '{ port: 80, targetPort: http }, { port: 9090 }'),
      errors: [
        {
          object: 'fail-zero',
          messageId: 'graceZero',
          line: 8,
          column: 7,
          path: '/spec/template/spec/terminationGracePeriodSeconds',
          data: { workload: 'Deployment fail-zero', grace: 0, services: 'Service web' },
          message: 'preStop hooks get no time to run',
        },
        { object: 'fail-zero', messageId: 'noPreStop', line: 14, data: { container: 'admin', grace: '0 s' } },
      ],
    },
    {
      // validateSleepAction accepts seconds equal to the grace period and rejects longer ones.
      name: 'a native sleep equal to the grace period, and one longer (refused by the API server)',
      yaml:
        deployment('fail-equal', `            lifecycle: { preStop: { sleep: { seconds: 30 } } }`) +
        '---\n' +
        deployment(
          'fail-longer',
          `            lifecycle: { preStop: { sleep: { seconds: 60 } } }`,
          '\n        terminationGracePeriodSeconds: 45',
        ) +
        service,
      errors: [
        {
          object: 'fail-equal',
          messageId: 'sleepTooLong',
          line: 12,
          path: '/spec/template/spec/containers/0/lifecycle/preStop/sleep/seconds',
          data: { sleep: 30, grace: 30 },
          message:
            /preStop sleep outlasts the grace period\nIt sleeps 30 s in its preStop hook \(traffic comes from Service \S+\), not less than its grace period of 30 s/,
        },
        {
          object: 'fail-longer',
          messageId: 'sleepRejected',
          line: 26,
          data: { sleep: 60, grace: 45 },
          message: 'the API server rejects',
        },
      ],
    },
    {
      // The kubelet cuts the hook at the grace period, then allows minimumGracePeriodInSeconds (2 s) after SIGTERM.
      name: 'exec sleeps in shell form and as sleep infinity',
      yaml:
        deployment(
          'fail-shell',
          `            lifecycle:
              preStop:
                exec:
                  command: [/bin/sh, -c, 'sleep 20; sleep 15; nginx -s quit']`,
          '\n        terminationGracePeriodSeconds: 35',
        ) +
        '---\n' +
        deployment(
          'fail-forever',
          `            lifecycle: { preStop: { exec: { command: [sleep, infinity] } } }`,
        ) +
        service,
      errors: [
        {
          object: 'fail-shell',
          messageId: 'sleepTooLong',
          line: 16,
          column: 17,
          path: '/spec/template/spec/containers/0/lifecycle/preStop/exec/command',
          data: { sleep: 35, grace: 35, duration: '35 s' },
        },
        {
          object: 'fail-forever',
          messageId: 'sleepTooLong',
          line: 29,
          data: { sleep: 'infinity', duration: 'forever (sleep infinity)' },
          message: 'sleeps forever (sleep infinity) in its preStop hook',
        },
      ],
    },
    {
      // PodLifecycleSleepActionAllowZero makes sleep 0 legal: a hook that delays nothing.
      name: 'a preStop sleep of 0 seconds',
      yaml:
        deployment('fail-zero-sleep', `            lifecycle: { preStop: { sleep: { seconds: 0 } } }`) +
        service,
      errors: [{ object: 'fail-zero-sleep', messageId: 'zeroSleep', line: 12, message: 'sleeps 0 s' }],
    },
    {
      name: 'StatefulSet, DaemonSet and a bare Pod behind a Service without a named target port',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-sts }
        spec: { template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: db }] } } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-ds }
        spec: { template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: agent, image: agent }] } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod, labels: { app: db } }
        spec: { containers: [{ name: app, image: app }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: db }
        spec: { selector: { app: db }, ports: [{ port: 5432 }] }
      `,
      errors: [
        { object: 'fail-sts', line: 4, data: { workload: 'StatefulSet fail-sts', services: 'Service db' } },
        { object: 'fail-ds', line: 9, data: { workload: 'DaemonSet fail-ds' } },
        {
          object: 'fail-pod',
          line: 14,
          path: '/spec/containers/0/lifecycle/preStop',
          data: { workload: 'Pod fail-pod' },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; the Service, the race with SIGTERM and the fix are the detail', () => {
    const [f] = findingsOfRule(rule, deployment('web', '') + service);
    expect(f!.message).toBe('Container app of Deployment web has no preStop hook');
    expect(f!.detail).toMatch(
      /^Traffic comes from Service web: when a pod is deleted .* keep terminationGracePeriodSeconds \(30 s by default\) longer than the sleep plus the time the app needs to finish its requests\.$/,
    );
  });
});
