import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/probe-port-mismatch.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'named ports declared by the probed container, in every probe',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
                  ports:
                    - { name: http, containerPort: 8080 }
                    - { name: admin, containerPort: 9090 }
                  startupProbe: { httpGet: { path: /live, port: admin }, failureThreshold: 30 }
                  livenessProbe: { tcpSocket: { port: admin } }
                  readinessProbe: { httpGet: { path: /ready, port: http } }
      `,
    },
    {
      // ports[] is informational: a probe may target any number, declared or not.
      name: 'numbers need no declaration; an all-digit string is read as a number; gRPC and exec have no named ports',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-numbers }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
                  livenessProbe: { httpGet: { path: /live, port: 8081 } }
                  readinessProbe: { tcpSocket: { port: '8080' } }
                  startupProbe: { grpc: { port: 9000 } }
                - name: worker
                  image: worker
                  livenessProbe: { exec: { command: [check] } }
      `,
    },
    {
      name: 'lifecycle handlers are not probes, and a Job is not long-running',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-lifecycle }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
                  lifecycle: { preStop: { httpGet: { path: /drain, port: admin } } }
        ---
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
                  readinessProbe: { httpGet: { path: /, port: http } }
      `,
    },
    {
      // The containers share the pod's network: a port another container declares is the pod's.
      name: 'numbers the pod declares, in any container; a probe aimed at another host',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-declared }
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: envoy
                  restartPolicy: Always
                  ports: [{ containerPort: 15021 }]
              containers:
                - name: app
                  image: web
                  ports: [{ name: http, containerPort: 8080 }]
                  livenessProbe: { httpGet: { path: /healthz/ready, port: 15021 } }
                  readinessProbe: { tcpSocket: { port: '8080' } }
                  startupProbe: { httpGet: { host: db.example, path: /, port: 5432 } }
      `,
    },
  ],
  invalid: [
    {
      // pkg/probe/util.go ResolveContainerPort looks only at the probed container's ports; the worker
      // discards errored results (pkg/kubelet/prober/worker.go), so readiness stays at its initial Failure.
      name: 'a readiness probe naming a port the container does not declare',
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
                  ports: [{ name: web, containerPort: 8080 }, { containerPort: 9090 }]
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: http
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'readinessProbe',
          line: 14,
          column: 15,
          path: '/spec/template/spec/containers/0/readinessProbe/httpGet/port',
          data: {
            role: 'container',
            container: 'app',
            workload: 'Deployment fail-web',
            port: 'http',
            found: 'container app declares only "web"',
          },
          message: 'never becomes Ready',
        },
      ],
    },
    {
      // The liveness worker starts at Success and discards errors: the probe never restarts anything.
      name: 'a liveness tcpSocket probe on a container without ports; port names are case-sensitive',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template:
            spec:
              containers:
                - name: db
                  image: postgres
                  livenessProbe: { tcpSocket: { port: postgres } }
                - name: exporter
                  image: exporter
                  ports: [{ name: metrics, containerPort: 9187 }]
                  livenessProbe: { httpGet: { path: /, port: Metrics } }
      `,
      errors: [
        {
          object: 'fail-db',
          messageId: 'livenessProbe',
          line: 10,
          path: '/spec/template/spec/containers/0/livenessProbe/tcpSocket/port',
          data: { found: 'container db declares no named ports' },
          message: 'a hung container is never restarted',
        },
        {
          object: 'fail-db',
          messageId: 'livenessProbe',
          line: 14,
          data: { port: 'Metrics', found: 'container exporter declares only "metrics"' },
        },
      ],
    },
    {
      // The startup worker starts at Unknown: the container never counts as started.
      name: 'a startup probe naming a port that only another container of the pod declares',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-agent }
        spec:
          template:
            spec:
              containers:
                - name: agent
                  image: agent
                  startupProbe: { httpGet: { path: /healthz, port: http } }
                - name: proxy
                  image: proxy
                  ports: [{ name: http, containerPort: 8080 }]
      `,
      errors: [
        {
          object: 'fail-agent',
          messageId: 'startupProbe',
          line: 10,
          data: { port: 'http', found: 'only container proxy declares a port with that name' },
          message:
            'use port 8080 by number; otherwise declare the port container agent listens on, named http',
        },
      ],
    },
    {
      name: 'a native sidecar, and a bare Pod',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-mesh }
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: envoy
                  restartPolicy: Always
                  readinessProbe: { httpGet: { path: /ready, port: admin } }
              containers:
                - name: app
                  image: web
                  ports: [{ name: admin, containerPort: 15000 }]
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec:
          containers:
            - name: app
              image: web
              readinessProbe: { tcpSocket: { port: grpc } }
      `,
      errors: [
        {
          object: 'fail-mesh',
          messageId: 'readinessProbe',
          line: 11,
          path: '/spec/template/spec/initContainers/0/readinessProbe/httpGet/port',
          data: {
            role: 'sidecar',
            container: 'proxy',
            found: 'only container app declares a port with that name',
          },
        },
        { object: 'fail-pod', line: 24, path: '/spec/containers/0/readinessProbe/tcpSocket/port' },
      ],
    },
    {
      // kube-linter's check: the kubelet probes the number anyway, so it is a hint (info), not a verdict.
      name: 'numbers no container of the pod declares, in each probe kind',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-numbers }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: web
                  ports: [{ name: http, containerPort: 8080 }, { containerPort: 9090 }]
                  livenessProbe: { httpGet: { path: /live, port: 8081 } }
                  readinessProbe: { tcpSocket: { port: '80' } }
                  startupProbe: { grpc: { port: 9000 } }
      `,
      errors: [
        {
          object: 'fail-numbers',
          messageId: 'numericPort',
          severity: 'info',
          line: 11,
          path: '/spec/template/spec/containers/0/livenessProbe/httpGet/port',
          data: { container: 'app', port: 8081, probe: 'livenessProbe', declared: '8080, 9090' },
          message: 'the kubelet restarts the container over and over',
        },
        {
          object: 'fail-numbers',
          messageId: 'numericPort',
          severity: 'info',
          line: 12,
          path: '/spec/template/spec/containers/0/readinessProbe/tcpSocket/port',
          data: { port: 80, probe: 'readinessProbe' },
          message: 'the container never becomes Ready',
        },
        {
          object: 'fail-numbers',
          messageId: 'numericPort',
          severity: 'info',
          line: 13,
          path: '/spec/template/spec/containers/0/startupProbe/grpc/port',
          data: { port: 9000, probe: 'startupProbe' },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container and the port; what the pod declares and the fix are the detail', () => {
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
                  readinessProbe: { httpGet: { path: /ready, port: http } }
      `,
    );
    expect(f!.message).toBe('app of Deployment web probes undeclared port http');
    expect(f!.detail).toMatch(
      /^Its readinessProbe uses port "http", but container app declares no named ports\. Declare \{ name: http, containerPort: <the port it listens on> \} under ports of container app, or use the port number\. Until then every check errors.*rollouts stall\.$/,
    );
  });
});

describe('a probe on an undeclared number', () => {
  it('is a hint (info) whose headline names the port and whose detail lists what the pod declares', () => {
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
                  image: web
                  ports: [{ containerPort: 8080 }]
                  readinessProbe: { httpGet: { path: /ready, port: 8008 } }
      `,
    );
    expect(f!.severity).toBe('info');
    expect(f!.message).toBe('app of Deployment web probes undeclared port 8008');
    expect(f!.detail).toMatch(/^Its readinessProbe targets port 8008, but the pod declares only 8080\. /);
  });
});
