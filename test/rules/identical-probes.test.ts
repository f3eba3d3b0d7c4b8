import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/identical-probes.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

/** A Deployment whose container `app` has the given probes (YAML flow maps). */
const deployment = (name: string, probes: string, ports = '[{ name: http, containerPort: 8080 }]') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    template:
      spec:
        containers:
          - name: app
            image: web
            ports: ${ports}
${probes}
`;

testRule(rule, {
  valid: [
    {
      name: 'liveness and readiness on different paths of the same port',
      yaml: deployment(
        'pass-paths',
        `            livenessProbe: { httpGet: { path: /live, port: http } }
            readinessProbe: { httpGet: { path: /ready, port: http } }`,
      ),
    },
    {
      name: 'the same path on different ports or schemes',
      yaml:
        deployment(
          'pass-ports',
          `            livenessProbe: { httpGet: { path: /healthz, port: 8081 } }
            readinessProbe: { httpGet: { path: /healthz, port: http } }`,
        ) +
        '---\n' +
        deployment(
          'pass-scheme',
          `            livenessProbe: { httpGet: { path: /healthz, port: 8080, scheme: HTTPS } }
            readinessProbe: { httpGet: { path: /healthz, port: 8080 } }`,
        ),
    },
    {
      name: 'different handlers on one port, different commands, different gRPC services',
      yaml:
        deployment(
          'pass-handlers',
          `            livenessProbe: { tcpSocket: { port: http } }
            readinessProbe: { httpGet: { path: /, port: http } }`,
        ) +
        '---\n' +
        deployment(
          'pass-exec',
          `            livenessProbe: { exec: { command: [cat, /tmp/alive] } }
            readinessProbe: { exec: { command: [cat, /tmp/ready] } }`,
        ) +
        '---\n' +
        deployment(
          'pass-grpc',
          `            livenessProbe: { grpc: { port: 9000, service: liveness } }
            readinessProbe: { grpc: { port: 9000, service: readiness } }`,
        ),
    },
    {
      name: 'a startup probe identical to the liveness probe (the usual setup), or only one of the two probes',
      yaml:
        deployment(
          'pass-startup',
          `            startupProbe: { httpGet: { path: /live, port: http }, failureThreshold: 30 }
            livenessProbe: { httpGet: { path: /live, port: http } }
            readinessProbe: { httpGet: { path: /ready, port: http } }`,
        ) +
        '---\n' +
        deployment('pass-one', `            readinessProbe: { httpGet: { path: /ready, port: http } }`),
    },
    {
      name: 'a Job is not long-running',
      yaml: yaml`
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
                  livenessProbe: { tcpSocket: { port: 80 } }
                  readinessProbe: { tcpSocket: { port: 80 } }
      `,
    },
  ],
  invalid: [
    {
      // kube-score's comparison: the same endpoint of the same process, whatever header asks it.
      name: 'the same httpGet check with different headers, or headers on one probe only',
      yaml:
        deployment(
          'fail-headers',
          `            livenessProbe: { httpGet: { path: /healthz, port: 8080, httpHeaders: [{ name: X-Check, value: live }] } }
            readinessProbe: { httpGet: { path: /healthz, port: 8080, httpHeaders: [{ name: X-Check, value: ready }] } }`,
        ) +
        '---\n' +
        deployment(
          'fail-oneheader',
          `            livenessProbe: { httpGet: { path: /healthz, port: http } }
            readinessProbe: { httpGet: { path: /healthz, port: 8080, httpHeaders: [{ name: Accept, value: application/json }] } }`,
        ),
      errors: [
        {
          object: 'fail-headers',
          messageId: 'identical',
          data: { check: 'httpGet /healthz on port 8080' },
          message: 'different thresholds or headers do not make them different checks.',
        },
        {
          object: 'fail-oneheader',
          messageId: 'identical',
          data: { check: 'httpGet /healthz on port http (8080)' },
        },
      ],
    },
    {
      name: 'a port left out and an exec item that is not a string are shown as written, never "undefined" or "[object Object]"',
      yaml:
        deployment(
          'fail-noport',
          `            livenessProbe: { httpGet: { path: /healthz } }
            readinessProbe: { httpGet: { path: /healthz } }`,
        ) +
        '---\n' +
        deployment(
          'fail-exec',
          `            livenessProbe: { exec: { command: [check, { deep: 1 }] } }
            readinessProbe: { exec: { command: [check, { deep: 1 }] } }`,
        ),
      errors: [
        {
          object: 'fail-noport',
          messageId: 'identical',
          data: {
            container: 'app',
            workload: 'Deployment fail-noport',
            check: 'httpGet /healthz on port (none)',
          },
        },
        {
          object: 'fail-exec',
          messageId: 'identical',
          data: {
            container: 'app',
            workload: 'Deployment fail-exec',
            check: 'exec ["check","{\\"deep\\":1}"]',
          },
        },
      ],
    },
    {
      name: 'the same httpGet check; different thresholds do not make it a different check',
      yaml: deployment(
        'fail-web',
        `            livenessProbe:
              httpGet: { path: /healthz, port: 8080 }
              periodSeconds: 20
              failureThreshold: 6
            readinessProbe:
              httpGet: { path: /healthz, port: 8080 }
              periodSeconds: 5
              failureThreshold: 1`,
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'identical',
          line: 11,
          column: 11,
          path: '/spec/template/spec/containers/0/livenessProbe',
          data: { container: 'app', workload: 'Deployment fail-web', check: 'httpGet /healthz on port 8080' },
          message: 'different thresholds or headers do not make them different checks',
        },
      ],
    },
    {
      // SetDefaults_HTTPGetAction: path "" becomes "/", scheme "" becomes HTTP; named ports resolve in the container.
      name: 'the same check written two ways: a named port and its number, a default path and scheme',
      yaml: deployment(
        'fail-spelled',
        `            livenessProbe: { httpGet: { port: http } }
            readinessProbe: { httpGet: { path: /, port: 8080, scheme: HTTP } }`,
      ),
      errors: [{ object: 'fail-spelled', line: 11, data: { check: 'httpGet / on port http (8080)' } }],
    },
    {
      name: 'identical tcpSocket, exec and gRPC checks (an unset gRPC service is the empty one)',
      yaml:
        deployment(
          'fail-tcp',
          `            livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10 }
            readinessProbe: { tcpSocket: { port: http } }`,
        ) +
        '---\n' +
        deployment(
          'fail-exec',
          `            livenessProbe: { exec: { command: [/bin/check, --quick] } }
            readinessProbe: { exec: { command: [/bin/check, --quick] } }`,
        ) +
        '---\n' +
        deployment(
          'fail-grpc',
          `            livenessProbe: { grpc: { port: 9000 } }
            readinessProbe: { grpc: { port: 9000, service: '' } }`,
        ),
      errors: [
        { object: 'fail-tcp', line: 11, data: { check: 'tcpSocket on port 8080' } },
        { object: 'fail-exec', line: 24, data: { check: 'exec ["/bin/check","--quick"]' } },
        { object: 'fail-grpc', line: 37, data: { check: 'grpc on port 9000' } },
      ],
    },
    {
      name: 'a native sidecar of a DaemonSet',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: envoy
                  restartPolicy: Always
                  livenessProbe: { httpGet: { path: /ready, port: 15021 } }
                  readinessProbe: { httpGet: { path: /ready, port: 15021 } }
              containers:
                - name: agent
                  image: agent
      `,
      errors: [
        {
          object: 'fail-agent',
          line: 11,
          path: '/spec/template/spec/initContainers/0/livenessProbe',
          data: { role: 'Sidecar', container: 'proxy' },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; the shared check and the restarts it causes are the detail', () => {
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
                  livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
                  readinessProbe: { httpGet: { path: /healthz, port: 8080 } }
      `,
    );
    expect(f!.message).toBe('app of Deployment web has identical liveness and readiness probes');
    expect(f!.detail).toMatch(
      /^Container app uses the same check for liveness and readiness \(.*different thresholds or headers do not make them different checks\.$/,
    );
  });
});
