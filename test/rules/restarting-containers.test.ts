import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/restarting-containers.js';
import { TEST_NOW, testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const minutesAgo = (m: number) => new Date(TEST_NOW - m * 60_000).toISOString();

interface Status {
  restarts: number;
  finishedMinutesAgo: number;
  reason?: string;
  exitCode?: number;
  /** Still terminated (restartPolicy Never) rather than running again. */
  stillTerminated?: boolean;
}

/** A container status as the kubelet reports it: the previous run under lastState while it runs again. */
function status(name: string, s: Status): string {
  const terminated = `{ exitCode: ${s.exitCode ?? 1}, reason: ${s.reason ?? 'Error'}, startedAt: "${minutesAgo(s.finishedMinutesAgo + 1)}", finishedAt: "${minutesAgo(s.finishedMinutesAgo)}" }`;
  return s.stillTerminated
    ? `{ name: ${name}, ready: false, restartCount: ${s.restarts}, state: { terminated: ${terminated} } }`
    : `{ name: ${name}, ready: false, restartCount: ${s.restarts}, state: { waiting: { reason: CrashLoopBackOff } }, lastState: { terminated: ${terminated} } }`;
}

const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: fail-web, namespace: shop, uid: d1 }
  spec:
    replicas: 2
    template:
      spec:
        containers:
          - name: proxy
            image: envoy
          - name: app
            image: web
            livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
  ---
  apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: fail-web-7c9
    namespace: shop
    uid: rs1
    ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: fail-web, uid: d1, controller: true }]
  spec: { replicas: 2, template: { spec: { containers: [{ name: proxy, image: envoy }, { name: app, image: web }] } } }
`;

const webPod = (name: string, statuses: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: ${name}
    namespace: shop
    ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: fail-web-7c9, uid: rs1, controller: true }]
  spec:
    containers:
      - { name: proxy, image: envoy }
      - { name: app, image: web, livenessProbe: { httpGet: { path: /healthz, port: 8080 } } }
  status:
    phase: Running
    containerStatuses: [${statuses}]
`;

const barePod = (name: string, statuses: string, initStatuses = '[]') => yaml`
  apiVersion: v1
  kind: Pod
  metadata: { name: ${name}, namespace: tools }
  spec:
    initContainers: [{ name: migrate, image: m }]
    containers: [{ name: main, image: busybox }]
  status:
    initContainerStatuses: ${initStatuses}
    containerStatuses: [${statuses}]
`;

testRule(rule, {
  valid: [
    {
      name: 'many restarts, but the last one long ago',
      yaml: barePod('pass-old', status('main', { restarts: 40, finishedMinutesAgo: 180 })),
    },
    {
      name: 'a recent restart, but only a few',
      yaml: barePod('pass-few', status('main', { restarts: 4, finishedMinutesAgo: 2 })),
    },
    {
      name: 'restarts with no termination record',
      yaml: barePod(
        'pass-unknown',
        `{ name: main, restartCount: 9, state: { running: { startedAt: "${minutesAgo(3)}" } } }`,
      ),
    },
    {
      name: 'a lower threshold and a narrower window from the options',
      yaml: barePod('pass-window', status('main', { restarts: 3, finishedMinutesAgo: 20 })),
      options: { minRestarts: 2, windowSeconds: 600 },
    },
    {
      name: 'kubeha check (no cluster facts)',
      yaml: barePod('pass-check', status('main', { restarts: 9, finishedMinutesAgo: 1 })),
      cluster: false,
    },
  ],
  invalid: [
    {
      name: "one container of a Deployment's two pods, reported once on the Deployment at the container",
      yaml: [
        deployment,
        webPod(
          'fail-web-7c9-a',
          `${status('proxy', { restarts: 0, finishedMinutesAgo: 1 })}, ${status('app', { restarts: 7, finishedMinutesAgo: 30, exitCode: 137 })}`,
        ),
        webPod('fail-web-7c9-b', status('app', { restarts: 12, finishedMinutesAgo: 4, exitCode: 143 })),
      ].join('---\n'),
      errors: [
        {
          object: 'fail-web',
          messageId: 'restartingPods',
          path: '/spec/template/spec/containers/1',
          line: 11,
          data: { container: 'app', pods: 2, restarts: 12, ago: '4 min', exitCode: 143 },
          message:
            /keeps restarting in 2 pods\nIt restarted up to 12 times, the last time 4 min ago: it was killed \(exit code 143\), as a failing liveness probe does.*kubectl describe pod fail-web-7c9-b/,
        },
      ],
    },
    {
      name: 'a bare pod: OOMKilled, and an init container that keeps failing',
      yaml: barePod(
        'fail-batch',
        status('main', { restarts: 6, finishedMinutesAgo: 59, reason: 'OOMKilled', exitCode: 137 }),
        `[${status('migrate', { restarts: 5, finishedMinutesAgo: 10 })}]`,
      ),
      errors: [
        {
          object: 'fail-batch',
          messageId: 'restarting',
          path: '/status/containerStatuses/0',
          line: 9,
          message: 'restarted 6 times\nIt last restarted 59 min ago: it ran out of memory (OOMKilled)',
        },
        {
          object: 'fail-batch',
          path: '/status/initContainerStatuses/0',
          line: 8,
          data: { container: 'migrate' },
          message: 'it crashes (Error, exit code 1): read kubectl logs --previous fail-batch -c migrate',
        },
      ],
    },
    {
      name: 'a container that exits 0 and stays terminated; the options lower the threshold',
      yaml: barePod(
        'fail-exits',
        status('main', {
          restarts: 2,
          finishedMinutesAgo: 5,
          reason: 'Completed',
          exitCode: 0,
          stillTerminated: true,
        }),
      ),
      options: { minRestarts: 2 },
      errors: [{ object: 'fail-exits', message: 'its process ends on its own (exit code 0)' }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the pod, the container and the restarts; when and why are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      barePod(
        'batch',
        status('main', { restarts: 6, finishedMinutesAgo: 59, reason: 'OOMKilled', exitCode: 137 }),
      ),
    );
    expect(f!.message).toBe('Pod batch: container main restarted 6 times');
    expect(f!.detail).toBe(
      'It last restarted 59 min ago: it ran out of memory (OOMKilled): raise its memory limit and request, or fix what grows. A container in a crash or probe loop serves only between restarts.',
    );
  });
});
