import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/replicas-colocated.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

const node = (name: string, zone?: string, extra = '') => yaml`
  apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
    labels: { kubernetes.io/hostname: ${name}${zone ? `, topology.kubernetes.io/zone: ${zone}` : ''} }
  spec: { ${extra} }
`;

const threeZones = [node('node-a', 'eu-west-1a'), node('node-b', 'eu-west-1b'), node('node-c', 'eu-west-1c')];

const deployment = (name: string, replicas: number) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: shop, uid: d-${name} }
  spec:
    replicas: ${replicas}
    selector: { matchLabels: { app: ${name} } }
    template:
      metadata: { labels: { app: ${name} } }
      spec: { containers: [{ name: app, image: nginx }] }
  ---
  apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: ${name}-5d4f
    namespace: shop
    uid: rs-${name}
    ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: ${name}, uid: d-${name}, controller: true }]
  spec:
    replicas: ${replicas}
    selector: { matchLabels: { app: ${name} } }
    template:
      metadata: { labels: { app: ${name} } }
      spec: { containers: [{ name: app, image: nginx }] }
`;

/** A pod of the Deployment's ReplicaSet, as `kubectl get pod -o yaml` shows it. */
const pod = (owner: string, i: number, nodeName: string, ready = true, extra = '') => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: ${owner}-5d4f-${i}
    namespace: shop
    labels: { app: ${owner} }
    ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}-5d4f, uid: rs-${owner}, controller: true }]
    ${extra}
  spec: { nodeName: ${nodeName}, containers: [{ name: app, image: nginx }] }
  status:
    phase: Running
    conditions:
      - { type: Ready, status: "${ready ? 'True' : 'False'}" }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'three pods on three nodes in three zones',
      yaml: docs(
        ...threeZones,
        deployment('pass-web', 3),
        pod('pass-web', 1, 'node-a'),
        pod('pass-web', 2, 'node-b'),
        pod('pass-web', 3, 'node-c'),
      ),
    },
    {
      name: 'two nodes of one zone in a single-zone cluster (single-zone-cluster speaks for the zone)',
      yaml: docs(
        node('n1', 'z1'),
        node('n2', 'z1'),
        deployment('pass-web', 2),
        pod('pass-web', 1, 'n1'),
        pod('pass-web', 2, 'n2'),
      ),
    },
    {
      name: 'the only other zone is on a cordoned node: one zone is all the pods could get',
      yaml: docs(
        node('n1', 'z1'),
        node('n2', 'z1'),
        node('n3', 'z2', 'unschedulable: true'),
        deployment('pass-web', 2),
        pod('pass-web', 1, 'n1'),
        pod('pass-web', 2, 'n2'),
      ),
    },
    {
      name: 'shared node, but only one pod is ready (the other is starting)',
      yaml: docs(
        ...threeZones,
        deployment('pass-web', 2),
        pod('pass-web', 1, 'node-a'),
        pod('pass-web', 2, 'node-a', false),
      ),
    },
    {
      name: 'shared node, but one pod is being deleted',
      yaml: docs(
        ...threeZones,
        deployment('pass-web', 2),
        pod('pass-web', 1, 'node-a'),
        pod('pass-web', 2, 'node-a', true, 'deletionTimestamp: "2025-01-15T11:59:00Z"'),
      ),
    },
    {
      name: 'a Deployment of 1 replica with a surge pod beside it mid-rollout',
      yaml: docs(
        ...threeZones,
        deployment('pass-one', 1),
        pod('pass-one', 1, 'node-a'),
        pod('pass-one', 2, 'node-a'),
      ),
    },
    {
      name: 'a DaemonSet and a bare Pod are not replicated workloads',
      yaml: docs(
        node('n1', 'z1'),
        yaml`
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: { name: pass-agent, namespace: shop, uid: ds }
          spec: { template: { spec: { containers: [{ name: a, image: a }] } } }
          ---
          apiVersion: v1
          kind: Pod
          metadata: { name: pass-agent-x, namespace: shop, ownerReferences: [{ kind: DaemonSet, name: pass-agent, uid: ds, controller: true }] }
          spec: { nodeName: n1, containers: [{ name: a, image: a }] }
          status: { conditions: [{ type: Ready, status: "True" }] }
        `,
      ),
    },
    {
      name: 'Pods could not be listed',
      yaml: docs(
        ...threeZones,
        deployment('pass-web', 2),
        pod('pass-web', 1, 'node-a'),
        pod('pass-web', 2, 'node-a'),
      ),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Pod') },
    },
    {
      name: 'manifests (kubeha check): no pods, no facts',
      yaml: deployment('pass-web', 3),
      cluster: false,
    },
  ],
  invalid: [
    {
      name: 'two ready pods on one node',
      yaml: docs(
        ...threeZones,
        deployment('fail-web', 2),
        pod('fail-web', 1, 'node-b'),
        pod('fail-web', 2, 'node-b'),
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'node',
          path: '/spec/template/spec/topologySpreadConstraints',
          // The pod template's spec, nearest to the missing topologySpreadConstraints.
          line: 30,
          data: { ready: 2, node: 'node-b', workload: 'Deployment fail-web' },
          message: 'Deployment fail-web: all 2 ready pods on node node-b',
        },
      ],
    },
    {
      name: 'three ready pods on two nodes of one zone while the cluster spans three',
      yaml: docs(
        node('node-a1', 'eu-west-1a'),
        ...threeZones,
        deployment('fail-web', 3),
        pod('fail-web', 1, 'node-a'),
        pod('fail-web', 2, 'node-a1'),
        pod('fail-web', 3, 'node-a'),
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'zone',
          data: { ready: 3, zone: 'eu-west-1a', zones: 'eu-west-1a, eu-west-1b, eu-west-1c' },
        },
      ],
    },
    {
      name: 'a StatefulSet whose pods share a node',
      yaml: docs(
        node('n1', 'z1'),
        yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: { name: fail-db, namespace: shop, uid: sts }
          spec: { replicas: 2, template: { spec: { containers: [{ name: db, image: pg }] } } }
          ---
          apiVersion: v1
          kind: Pod
          metadata: { name: fail-db-0, namespace: shop, ownerReferences: [{ kind: StatefulSet, name: fail-db, uid: sts, controller: true }] }
          spec: { nodeName: n1, containers: [{ name: db, image: pg }] }
          status: { conditions: [{ type: Ready, status: "True" }] }
          ---
          apiVersion: v1
          kind: Pod
          metadata: { name: fail-db-1, namespace: shop, ownerReferences: [{ kind: StatefulSet, name: fail-db, uid: sts, controller: true }] }
          spec: { nodeName: n1, containers: [{ name: db, image: pg }] }
          status: { conditions: [{ type: Ready, status: "True" }] }
        `,
      ),
      errors: [
        { object: 'fail-db', messageId: 'node', data: { workload: 'StatefulSet fail-db', node: 'n1' } },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('replicas-colocated: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(
      docs(...threeZones, deployment('web', 2), pod('web', 1, 'node-b'), pod('web', 2, 'node-b')),
      { listed: new Set(SCAN_KINDS), now: TEST_NOW },
    );
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('Deployment web: all 2 ready pods on node node-b');
    expect(finding?.detail).toContain('Losing or draining that node takes every replica down at once.');
    expect(finding?.detail).toContain('then kubectl rollout restart it so the scheduler spreads the pods.');
  });
});
