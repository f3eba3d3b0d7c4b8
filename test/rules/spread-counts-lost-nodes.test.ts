import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/spread-counts-lost-nodes.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (constraint: string, extra = '', name = 'fail-web'): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name} }
  spec:
    replicas: 3
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec:
        ${extra}
        topologySpreadConstraints:
          - ${constraint}
        containers: [{ name: web, image: nginx }]
`;

testRule(rule, {
  valid: [
    {
      name: 'minDomains below the zone count',
      yaml: deployment(
        '{ maxSkew: 1, minDomains: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: web } } }',
        '',
        'pass-web',
      ),
    },
    {
      name: 'Honor leaves the lost nodes out of the count',
      yaml: deployment(
        '{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: web } } }',
      ),
    },
    {
      name: 'a soft constraint never strands a pod',
      yaml: deployment(
        '{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: web } } }',
      ),
    },
    {
      name: 'a constraint on other pods (spread-selector-mismatch and no-zone-spread speak of it)',
      yaml: deployment(
        '{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: db } } }',
      ),
    },
    {
      name: 'pods that tolerate every taint: no node leaves the count either way',
      yaml: deployment(
        '{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }',
        'tolerations: [{ operator: Exists }]',
      ),
    },
    {
      name: 'one replica: nothing to skew against',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: one }
        spec:
          replicas: 1
          selector: { matchLabels: { app: one } }
          template:
            metadata: { labels: { app: one } }
            spec:
              topologySpreadConstraints:
                - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: one } } }
              containers: [{ name: one, image: nginx }]
      `,
    },
  ],
  invalid: [
    {
      name: 'minDomains at the zone count: a zone loss leaves too few zones, even with Honor',
      yaml: deployment(
        '{ maxSkew: 1, minDomains: 3, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: web } } }',
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'minDomains',
          path: '/spec/template/spec/topologySpreadConstraints/0/minDomains',
          data: { minDomains: 3, zones: 3 },
          message: 'takes the global minimum as 0',
        },
      ],
    },
    {
      name: 'the default policy on a zone constraint',
      yaml: deployment(
        '{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }',
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'ignored',
          message: 'Set nodeTaintsPolicy: Honor',
          path: '/spec/template/spec/topologySpreadConstraints/0',
          data: {
            topologyKey: 'topology.kubernetes.io/zone',
            policy: 'Ignore (the default)',
            domains: 'zones',
          },
        },
      ],
    },
    {
      name: 'Ignore written out, on nodes, with a toleration of one taint only',
      yaml: deployment(
        '{ maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Ignore, labelSelector: { matchLabels: { app: web } } }',
        'tolerations: [{ key: dedicated, operator: Exists }]',
      ),
      errors: [
        {
          object: 'fail-web',
          messageId: 'ignored',
          data: { policy: 'Ignore', domains: 'nodes', maxSkew: 2 },
        },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('spread-counts-lost-nodes: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }
      containers: [{ name: web, image: nginx }]
`);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      'Deployment web: DoNotSchedule spread on topology.kubernetes.io/zone counts nodes its pods cannot use',
    );
    expect(finding?.detail).toContain(
      'has nodeTaintsPolicy Ignore (the default), so nodes its pods cannot use still count as zones',
    );
    expect(finding?.detail).toContain('Set nodeTaintsPolicy: Honor');
  });
});
