import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/missing-liveness-probe.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

testRule(rule, {
  valid: [
    {
      name: 'app containers and native sidecars with liveness probes; a plain init container needs none',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        spec:
          template:
            spec:
              initContainers:
                # Regular init containers cannot have probes (the API server rejects them): they run to completion.
                - name: migrate
                  image: migrate
                - name: proxy
                  image: envoy
                  restartPolicy: Always
                  livenessProbe: { tcpSocket: { port: 15000 } }
              containers:
                - name: app
                  image: web
                  livenessProbe: { httpGet: { path: /live, port: 8080 } }
      `,
    },
    {
      name: 'run-to-completion workloads: Job, CronJob, a Pod with restartPolicy OnFailure',
      yaml: yaml`
        apiVersion: batch/v1
        kind: Job
        metadata: { name: pass-job }
        spec: { template: { spec: { restartPolicy: Never, containers: [{ name: job, image: job }] } } }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-cron }
        spec:
          schedule: '@daily'
          jobTemplate: { spec: { template: { spec: { containers: [{ name: job, image: job }] } } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: pass-once }
        spec: { restartPolicy: OnFailure, containers: [{ name: task, image: task }] }
      `,
    },
  ],
  invalid: [
    {
      name: 'a Deployment container without a liveness probe (a readiness probe does not replace it)',
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
                  readinessProbe: { httpGet: { path: /ready, port: 8080 } }
      `,
      errors: [
        {
          object: 'fail-web',
          messageId: 'missing',
          line: 8,
          column: 11,
          path: '/spec/template/spec/containers/0/livenessProbe',
          data: { role: 'Container', container: 'app', workload: 'Deployment fail-web' },
          message: 'the kubelet never restarts it',
        },
      ],
    },
    {
      name: 'a null livenessProbe, the second of two containers, and a native sidecar',
      yaml: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-db }
        spec:
          template:
            spec:
              initContainers:
                - name: backup-agent
                  image: agent
                  restartPolicy: Always
              containers:
                - name: db
                  image: db
                  livenessProbe: { exec: { command: [pg_isready] } }
                - name: exporter
                  image: exporter
                  livenessProbe: null
      `,
      errors: [
        {
          object: 'fail-db',
          line: 17,
          column: 11,
          path: '/spec/template/spec/containers/1/livenessProbe',
          data: { container: 'exporter' },
        },
        {
          object: 'fail-db',
          line: 8,
          path: '/spec/template/spec/initContainers/0/livenessProbe',
          data: { role: 'Sidecar', container: 'backup-agent' },
          message: 'Sidecar backup-agent of StatefulSet fail-db',
        },
      ],
    },
    {
      name: 'DaemonSet, ReplicaSet, ReplicationController, Argo Rollout and a bare Pod (restartPolicy Always by default)',
      yaml: yaml`
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
        apiVersion: v1
        kind: ReplicationController
        metadata: { name: fail-rc }
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
        spec: { restartPolicy: Always, containers: [{ name: app, image: app }] }
      `,
      errors: [
        { object: 'fail-ds', line: 4, data: { workload: 'DaemonSet fail-ds' } },
        { object: 'fail-rs', line: 9, data: { workload: 'ReplicaSet fail-rs' } },
        { object: 'fail-rc', line: 14, data: { workload: 'ReplicationController fail-rc' } },
        { object: 'fail-rollout', line: 19, data: { workload: 'Rollout fail-rollout' } },
        { object: 'fail-pod', line: 24, data: { workload: 'Pod fail-pod' } },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the container; the hang and the probe to add are the detail', () => {
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
    expect(f!.message).toBe('Container app of Deployment web has no livenessProbe');
    expect(f!.detail).toMatch(
      /^If it hangs without exiting \(a deadlock, a stuck event loop\), the kubelet never restarts it.*not its dependencies\.$/,
    );
  });
});
