import rule from '../../src/rules/zone-node-imbalance.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';

/** A schedulable node in a zone, with its allocatable cpu. */
const node = (name: string, zone: string, cpu = '4', spec = '{}') => yaml`
  apiVersion: v1
  kind: Node
  metadata: { name: ${name}, labels: { topology.kubernetes.io/zone: ${zone} } }
  spec: ${spec}
  status: { allocatable: { cpu: "${cpu}" } }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'three zones of 2 nodes',
      yaml: docs(
        node('pass-a1', 'a'),
        node('pass-a2', 'a'),
        node('pass-b1', 'b'),
        node('pass-b2', 'b'),
        node('pass-c1', 'c'),
        node('pass-c2', 'c'),
      ),
    },
    {
      name: '5 and 4 nodes: 20% apart, not more',
      yaml: docs(
        ...['1', '2', '3', '4', '5'].map((i) => node(`pass-a${i}`, 'a')),
        ...['1', '2', '3', '4'].map((i) => node(`pass-b${i}`, 'b', '5')),
      ),
    },
    {
      name: 'a cordoned node and nodes without a zone do not count',
      yaml: docs(
        node('pass-a1', 'a'),
        node('pass-a2', 'a', '4', '{ unschedulable: true }'),
        node('pass-b1', 'b'),
        yaml`
          apiVersion: v1
          kind: Node
          metadata: { name: pass-nozone }
          status: { allocatable: { cpu: "4" } }
        `,
      ),
    },
    {
      name: 'one zone (single-zone-cluster says so)',
      yaml: docs(node('pass-a1', 'a'), node('pass-a2', 'a')),
    },
    {
      name: 'Nodes could not be listed',
      yaml: docs(node('pass-a1', 'a'), node('pass-a2', 'a'), node('pass-b1', 'b')),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Node') },
    },
  ],
  invalid: [
    {
      name: 'node counts 3, 2, 2: the smaller zone is reported on its first node',
      yaml: docs(
        node('fail-a1', 'a'),
        node('fail-a2', 'a'),
        node('fail-a3', 'a'),
        node('fail-b1', 'b'),
        node('fail-b2', 'b'),
        node('fail-c1', 'c'),
        node('fail-c2', 'c'),
      ),
      errors: [
        {
          object: 'fail-b1',
          messageId: 'nodes',
          path: '/metadata/labels/topology.kubernetes.io~1zone',
          data: { small: 'b', large: 'a', smallCount: 2, largeCount: 3, percent: 33 },
          message: 'Schedulable nodes per zone differ by 33% (b: 2, a: 3)',
        },
      ],
    },
    {
      name: 'equal counts, allocatable cpu 8 against 16',
      yaml: docs(node('fail-a1', 'a', '16'), node('fail-b1', 'b', '8000m')),
      errors: [
        {
          object: 'fail-b1',
          messageId: 'cpu',
          data: { smallCpu: '8', largeCpu: '16', percent: 50 },
          message: 'Allocatable cpu per zone differs by 50% (b: 8, a: 16)',
        },
      ],
    },
  ],
});
