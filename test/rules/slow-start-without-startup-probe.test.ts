import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/slow-start-without-startup-probe.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

/** A Deployment whose container `app` has the given probe lines. */
const deployment = (name: string, probes: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    template:
      spec:
        containers:
          - name: app
            image: web
${probes}
`;

testRule(rule, {
  valid: [
    {
      name: 'a delay below the threshold, no delay, or no liveness probe',
      yaml:
        deployment(
          'pass-short',
          `            livenessProbe: { httpGet: { path: /live, port: 80 }, initialDelaySeconds: 29 }`,
        ) +
        '---\n' +
        deployment('pass-none', `            livenessProbe: { httpGet: { path: /live, port: 80 } }`) +
        '---\n' +
        deployment(
          'pass-readiness',
          `            readinessProbe: { httpGet: { path: /ready, port: 80 }, initialDelaySeconds: 120 }`,
        ),
    },
    {
      name: 'a long delay with a startup probe',
      yaml: deployment(
        'pass-startup',
        `            startupProbe: { httpGet: { path: /live, port: 80 }, failureThreshold: 12 }
            livenessProbe: { httpGet: { path: /live, port: 80 }, initialDelaySeconds: 60 }`,
      ),
    },
    {
      name: 'a delay below a raised threshold',
      options: { initialDelaySeconds: 90 },
      yaml: deployment(
        'pass-option',
        `            livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 60 }`,
      ),
    },
    {
      name: 'a templated delay, and a Job',
      yaml:
        deployment(
          'pass-template',
          `            livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: '{{ .Values.delay }}' }`,
        ) +
        '---\n' +
        yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: { name: pass-job }
          spec:
            template:
              spec:
                restartPolicy: Never
                containers:
                  - name: job
                    image: job
                    livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 300 }
        `,
    },
  ],
  invalid: [
    {
      // SetDefaults_Probe: periodSeconds 10, failureThreshold 3.
      name: 'a delay at the threshold, with the default period and failure threshold',
      yaml: deployment(
        'fail-web',
        `            livenessProbe:
              httpGet: { path: /live, port: 80 }
              initialDelaySeconds: 30`,
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'slowStart',
          line: 12,
          column: 13,
          path: '/spec/template/spec/containers/0/livenessProbe/initialDelaySeconds',
          data: {
            role: 'Container',
            container: 'app',
            workload: 'Deployment fail-web',
            delay: 30,
            threshold: 30,
            period: 10,
            failureThreshold: 3,
            budget: 60,
            suggestedFailures: 3,
            covered: 30,
          },
          message: 'periodSeconds: 10 and failureThreshold: 3 (3 × 10 s = 30 s',
        },
      ],
    },
    {
      name: "the suggestion rounds up to cover the delay with the probe's own period; startupProbe: null is no probe",
      yaml: deployment(
        'fail-slow',
        `            startupProbe: null
            livenessProbe:
              tcpSocket: { port: 5432 }
              initialDelaySeconds: 45
              periodSeconds: 20
              failureThreshold: 5`,
      ),
      errors: [
        {
          object: 'fail-slow',
          line: 13,
          data: {
            delay: 45,
            period: 20,
            failureThreshold: 5,
            budget: 145,
            suggestedFailures: 3,
            covered: 60,
          },
          message: 'a start slower than about 145 s (45 + 5 × 20 s) is still killed mid-start',
        },
      ],
    },
    {
      name: 'a lowered threshold, on a native sidecar of a StatefulSet',
      options: { initialDelaySeconds: 10 },
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: proxy
                  restartPolicy: Always
                  livenessProbe: { tcpSocket: { port: 6432 }, initialDelaySeconds: 15 }
              containers:
                - name: db
                  image: db
      `,
      errors: [
        {
          object: 'fail-db',
          line: 11,
          path: '/spec/template/spec/initContainers/0/livenessProbe/initialDelaySeconds',
          data: {
            role: 'Sidecar',
            container: 'proxy',
            delay: 15,
            threshold: 10,
            suggestedFailures: 2,
            covered: 20,
          },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; the delay and the startupProbe to add are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: nginx
                  livenessProbe: { httpGet: { path: /healthz, port: 8080 }, initialDelaySeconds: 120 }
      `,
    );
    expect(f!.message).toBe('app of Deployment web delays its livenessProbe without a startupProbe');
    expect(f!.detail).toMatch(
      /^Container app delays its liveness probe by initialDelaySeconds: 120 \(threshold \d+\) and has no startupProbe: .*set the liveness initialDelaySeconds to 0\.$/,
    );
  });
});
