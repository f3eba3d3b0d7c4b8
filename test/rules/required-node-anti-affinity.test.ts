import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/required-node-anti-affinity.js';
import { testRule } from '../rule-tester.js';

const node = (name: string, extra = ''): string => `
apiVersion: v1
kind: Node
metadata: { name: ${name}, labels: { kubernetes.io/hostname: ${name}, pool: general } }
${extra}
status: { capacity: { cpu: '4', memory: 16Gi, pods: '110' } }
---
`;

/** A Deployment with required pod anti-affinity per node against its own pods. */
const deployment = (name: string, replicas: number, extra = ''): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${extra}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: { matchLabels: { app: ${name} } }
              topologyKey: kubernetes.io/hostname
      containers: [{ name: app, image: nginx }]
---
`;

const threeNodes = node('n1') + node('n2') + node('n3');

testRule(rule, {
  valid: [
    { name: 'a spare node', yaml: threeNodes + deployment('pass-two', 2) },
    { name: 'no Node objects: the node count is unknown', yaml: deployment('pass-unknown', 9) },
    {
      name: 'preferred anti-affinity',
      yaml:
        threeNodes +
        `
apiVersion: apps/v1
kind: Deployment
metadata: { name: pass-soft }
spec:
  replicas: 5
  selector: { matchLabels: { app: soft } }
  template:
    metadata: { labels: { app: soft } }
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm: { labelSelector: { matchLabels: { app: soft } }, topologyKey: kubernetes.io/hostname }
      containers: [{ name: app, image: nginx }]
`,
    },
  ],
  invalid: [
    {
      name: 'as many replicas as nodes',
      yaml: threeNodes + deployment('fail-three', 3),
      errors: [
        {
          object: 'fail-three',
          messageId: 'noSpareNode',
          data: { replicas: 3, nodes: 3 },
          message: 'no node is left for the replacement',
        },
      ],
    },
    {
      name: 'more replicas than usable nodes: a cordoned node, a tainted one, and a nodeSelector count out',
      yaml:
        node('n1') +
        node('n2') +
        node('n3', 'spec: { unschedulable: true }') +
        node('n4', 'spec: { taints: [{ key: dedicated, value: gpu, effect: NoSchedule }] }') +
        deployment('fail-four', 3, 'nodeSelector: { pool: general }'),
      errors: [{ object: 'fail-four', data: { replicas: 3, nodes: 2 }, message: '1 of them stays Pending' }],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('required-node-anti-affinity: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(threeNodes + deployment('web', 3));
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('Deployment web: no spare node for its required node anti-affinity');
    expect(finding?.detail).toContain(
      "its pods can run on 3 of the cluster's nodes: no node is left for the replacement of a lost or drained node",
    );
    expect(finding?.detail).toContain('which still spreads them but never leaves one Pending.');
  });
});
