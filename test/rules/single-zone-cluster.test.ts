import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/single-zone-cluster.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

const node = (name: string, zone: string | undefined, spec = '{}') => yaml`
  apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
    labels:
      kubernetes.io/hostname: ${name}
      ${zone ? `topology.kubernetes.io/zone: ${zone}` : 'kubernetes.io/os: linux'}
  spec: ${spec}
`;
const docs = (...parts: string[]) => parts.join('---\n');

const controlPlane = '{ taints: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }] }';

testRule(rule, {
  valid: [
    {
      name: 'nodes in three zones',
      yaml: docs(node('pass-a', 'eu-west-1a'), node('pass-b', 'eu-west-1b'), node('pass-c', 'eu-west-1c')),
    },
    {
      name: 'a PreferNoSchedule taint still takes ordinary pods',
      yaml: docs(
        node('pass-a', 'eu-west-1a'),
        node('pass-b', 'eu-west-1b', '{ taints: [{ key: spot, value: "true", effect: PreferNoSchedule }] }'),
      ),
    },
    {
      name: 'the node of another zone is mixed with unlabelled ones',
      yaml: docs(node('pass-a', 'z1'), node('pass-b', 'z2'), node('pass-c', undefined)),
    },
    { name: 'no schedulable node at all: nothing to judge', yaml: node('pass-cp', 'z1', controlPlane) },
    {
      name: 'Nodes could not be listed',
      yaml: node('pass-a', 'z1'),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Node') },
    },
    { name: 'kubeha check (no cluster facts)', yaml: node('pass-a', 'z1'), cluster: false },
  ],
  invalid: [
    {
      name: 'three nodes in one zone; a cordoned node and a control-plane node elsewhere do not count',
      yaml: docs(
        node('fail-a1', 'eu-west-1a'),
        node('b-cordoned', 'eu-west-1b', '{ unschedulable: true }'),
        node('c-control-plane', 'eu-west-1c', controlPlane),
        node('fail-a2', 'eu-west-1a'),
        node(
          'fail-a3',
          'eu-west-1a',
          '{ taints: [{ key: node.kubernetes.io/not-ready, effect: NoExecute }, { key: x, effect: PreferNoSchedule }] }',
        ),
      ),
      errors: [
        {
          object: 'fail-a1',
          messageId: 'oneZone',
          path: '/metadata/labels/topology.kubernetes.io~1zone',
          line: 7,
          data: { zone: 'eu-west-1a' },
          message:
            "The cluster's 2 schedulable nodes are all in zone eu-west-1a (3 cordoned or tainted nodes not counted)\nAn outage of that zone",
        },
      ],
    },
    {
      name: 'a one-node cluster',
      yaml: node('fail-kind', 'z1'),
      errors: [{ object: 'fail-kind', message: "The cluster's only schedulable node is in zone z1\n" }],
    },
    {
      name: 'no zone labels at all (a bare-metal or local cluster)',
      yaml: docs(node('fail-x', undefined), node('fail-y', undefined)),
      errors: [{ object: 'fail-x', messageId: 'noZone', line: 5, message: '(2 schedulable nodes)' }],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('single-zone-cluster: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(
      docs(node('a', 'eu-west-1a'), node('b', 'eu-west-1a'), node('c', 'eu-west-1b', controlPlane)),
      { listed: new Set(SCAN_KINDS), now: TEST_NOW },
    );
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      "The cluster's 2 schedulable nodes are all in zone eu-west-1a (1 cordoned or tainted node not counted)",
    );
    expect(finding?.detail).toContain(
      'An outage of that zone takes every workload down, however many replicas it runs.',
    );
  });
});
