import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/hpa-max-unplaceable.js';
import { testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

/** A Deployment of pods requesting `cpu` each, and an HPA that may scale it from 2 to `max`. */
const scaled = (name: string, cpu: string, max: number) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
  spec:
    replicas: 2
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec: { containers: [{ name: app, image: app, resources: { requests: { cpu: ${cpu}, memory: 256Mi } } }] }
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: ${name} }
  spec:
    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    minReplicas: 2
    maxReplicas: ${max}
`;

/** Three nodes of 4 cpu, one per zone: 12 cpu in all, 8 once a zone is lost. */
const threeZones = { simulate: true, nodes: 3, zones: 3, nodeCpu: '4', nodeMemory: '16Gi' };

const node = (name: string, zone: string, cpu: string) => yaml`
  apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
    labels: { kubernetes.io/hostname: ${name}, topology.kubernetes.io/zone: ${zone} }
  status: { allocatable: { cpu: '${cpu}', memory: 16Gi, pods: '110' } }
`;

testRule(rule, {
  valid: [
    {
      // 6 × 500m is 3 cpu: it fits, and still fits on the 8 cpu left after any zone goes.
      name: 'maxReplicas that fits, and still fits after a zone loss',
      yaml: scaled('pass-web', '500m', 6),
      options: threeZones,
    },
    {
      name: 'no topology to judge on: no Node objects and no simulation asked for',
      yaml: scaled('pass-web', '1', 100),
    },
    {
      // 20 pods of 1 cpu do not fit 12 cpu today: sim-stuck says so, at the size the workload has now.
      name: 'a workload that falls short at its size today',
      yaml: scaled('pass-web', '1', 30).replace('replicas: 2', 'replicas: 20'),
      options: threeZones,
    },
    {
      // autoscaling/v2beta2 is not served by the target version: the HPA scales nothing (deprecated-api).
      name: 'an HPA on a version the API server no longer serves',
      yaml: scaled('pass-web', '1', 100).replace('autoscaling/v2', 'autoscaling/v2beta2'),
      options: threeZones,
    },
  ],
  invalid: [
    {
      // 20 pods of 1 cpu on 12 cpu: 12 run, 8 stay Pending.
      name: 'maxReplicas beyond what the nodes hold',
      yaml: scaled('fail-web', '1', 20),
      options: threeZones,
      errors: [
        {
          object: 'fail-web',
          messageId: 'unplaceable',
          path: '/spec/maxReplicas',
          line: 17,
          data: { max: 20, scheduled: 12, pending: 8, target: 'Deployment web' },
          message: 'Insufficient cpu',
        },
      ],
    },
    {
      // 9 pods of 1 cpu fit 3 per node; after a zone loss the 2 nodes left hold 8.
      name: 'maxReplicas that fits, but not after a zone loss',
      yaml: scaled('fail-web', '1', 9),
      options: threeZones,
      errors: [
        {
          object: 'fail-web',
          messageId: 'zoneLoss',
          data: { max: 9, ready: 8, pending: 1, zone: 'zone-a' },
        },
      ],
    },
    {
      // Together 7 + 5 pods of 1 cpu fill the 12 cpu and lose a zone's share; alone, api at 5 with web at 2
      // fits even after a zone loss (7 of 8 cpu), while web at 7 with api at 2 does not (9 of 8).
      name: 'two HPAs that fall short together: only the one that falls short on its own peak',
      yaml: [scaled('fail-web', '1', 7), scaled('api', '1', 5).replaceAll('web', 'api')].join('---\n'),
      options: threeZones,
      errors: [{ object: 'fail-web', messageId: 'zoneLoss', data: { max: 7, ready: 6, pending: 1 } }],
    },
    {
      // The topology is the input's own Nodes: 2 × 2 cpu in one zone hold 4 pods of 1 cpu, not 5.
      name: 'on the Node objects of the input',
      yaml: [node('n1', 'eu-west-1a', '2'), node('n2', 'eu-west-1a', '2'), scaled('fail-web', '1', 5)].join(
        '---\n',
      ),
      errors: [{ object: 'fail-web', messageId: 'unplaceable', data: { scheduled: 4, pending: 1 } }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the HPA and its maxReplicas; what runs, what waits and the ways out are the detail', () => {
    const [f] = findingsOfRule(rule, [node('n1', 'eu-west-1a', '2'), scaled('web', '1', 3)].join('---\n'));
    expect(f!.message).toBe('HPA web cannot place maxReplicas 3 on the topology');
    expect(f!.detail).toMatch(
      /^At 3 replicas, Deployment web gets 2 pods scheduled and 1 stay Pending \(0\/1 nodes are available: 1 Insufficient cpu\)\. .* Lower maxReplicas to 2, or make room: .*\.$/,
    );
  });
});
