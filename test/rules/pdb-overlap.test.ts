import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import rule, { overlappingPdbPairs } from '../../src/rules/pdb-overlap.js';
import { parseManifests } from '../../src/sources/parse.js';
import { testRule, yaml } from '../rule-tester.js';

const deployment = (name: string, labels: string, replicas = 3, namespace = 'default') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    replicas: ${replicas}
    template: { metadata: { labels: ${labels} } }
  ---
`;

const pdb = (name: string, selector: string, apiVersion = 'policy/v1', namespace = 'default') => yaml`
  apiVersion: ${apiVersion}
  kind: PodDisruptionBudget
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    maxUnavailable: 1
    selector: ${selector}
  ---
`;

testRule(rule, {
  valid: [
    {
      name: 'one PDB per workload',
      yaml:
        deployment('web', '{ app: web, tier: front }') +
        deployment('api', '{ app: api, tier: front }') +
        pdb('pass-web', '{ matchLabels: { app: web } }') +
        pdb('pass-api', '{ matchLabels: { app: api } }'),
    },
    {
      name: 'overlapping selectors that no workload satisfies both of',
      yaml:
        deployment('web', '{ app: web }') +
        deployment('api', '{ app: api }') +
        pdb('pass-web', '{ matchLabels: { app: web } }') +
        pdb('pass-not-web', '{ matchExpressions: [{ key: app, operator: NotIn, values: [web] }] }'),
    },
    {
      name: 'the same selector in another namespace',
      yaml:
        deployment('web', '{ app: web }', 3, 'shop') +
        deployment('web', '{ app: web }', 3, 'staging') +
        pdb('pass-shop', '{ matchLabels: { app: web } }', 'policy/v1', 'shop') +
        pdb('pass-staging', '{ matchLabels: { app: web } }', 'policy/v1', 'staging'),
    },
    {
      // A v1beta1 `{}` selects no pods (pkg/apis/policy/v1beta1 conversion), so it overlaps nothing.
      name: 'a policy/v1beta1 empty selector next to a real PDB',
      yaml:
        deployment('web', '{ app: web }') +
        pdb('pass-web', '{ matchLabels: { app: web } }') +
        pdb('pass-empty', '{}', 'policy/v1beta1'),
    },
    {
      name: 'a workload scaled to zero has no pods to evict',
      yaml:
        deployment('off', '{ app: off }', 0) +
        pdb('pass-a', '{ matchLabels: { app: off } }') +
        pdb('pass-b', '{ matchLabels: { app: off } }'),
    },
  ],
  invalid: [
    {
      name: 'two PDBs on one Deployment: reported on the later, naming the earlier',
      yaml:
        deployment('web', '{ app: web, tier: front }') +
        yaml`
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: web }
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: { name: fail-tier }
          spec:
            minAvailable: 1
            selector:
              matchExpressions: [{ key: tier, operator: In, values: [front, back] }]
        `,
      errors: [
        {
          object: 'fail-tier',
          messageId: 'overlap',
          path: '/spec/selector',
          line: 18,
          column: 3,
          data: { name: 'fail-tier', other: 'web', workloads: 'Deployment web' },
          message:
            '("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")',
        },
      ],
    },
    {
      name: 'a policy/v1 empty selector selects every pod, so it overlaps every other PDB of the namespace',
      yaml:
        deployment('web', '{ app: web }') +
        deployment('db', '{ app: db }') +
        pdb('web', '{ matchLabels: { app: web } }') +
        pdb('db', '{ matchLabels: { app: db } }') +
        pdb('fail-everything', '{}'),
      errors: [
        { object: 'fail-everything', data: { other: 'web', workloads: 'Deployment web' } },
        { object: 'fail-everything', data: { other: 'db', workloads: 'Deployment db' } },
      ],
    },
    {
      name: 'three PDBs on the pods of two workloads: one report per pair, listing both workloads',
      yaml:
        deployment('web', '{ app: web, team: a }') +
        yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: { name: cache }
          spec:
            replicas: 2
            template: { metadata: { labels: { app: cache, team: a } } }
          ---
        ` +
        pdb('team', '{ matchLabels: { team: a } }') +
        pdb('fail-web', '{ matchLabels: { app: web } }') +
        pdb('fail-team-again', '{ matchExpressions: [{ key: team, operator: Exists }] }'),
      errors: [
        { object: 'fail-web', data: { other: 'team', workloads: 'Deployment web' } },
        {
          object: 'fail-team-again',
          data: { other: 'team', workloads: 'Deployment web, StatefulSet cache' },
        },
        { object: 'fail-team-again', data: { other: 'fail-web', workloads: 'Deployment web' } },
      ],
    },
    {
      name: 'bare Pods and DaemonSet pods are refused eviction just the same',
      yaml:
        yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: solo, labels: { app: solo } }
        spec: { containers: [{ name: app, image: nginx }] }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec: { template: { metadata: { labels: { app: solo } } } }
        ---
      ` +
        pdb('solo', '{ matchLabels: { app: solo } }') +
        pdb('fail-solo-2', '{ matchLabels: { app: solo } }'),
      errors: [{ object: 'fail-solo-2', data: { workloads: 'Pod solo, DaemonSet agent' } }],
    },
  ],
});

describe('pdb-overlap on many files defining the same workload and PDB', () => {
  // 300 overlays each define Deployment web and PDB web: every PDB selects every copy's pods, so each
  // of the 44 850 pairs lists the 300 workloads. Made per workload, that was 300 × 44 850 steps (and
  // describes); grouped by the PDBs that select them, the 300 copies are one group, passed once.
  const copies = 300;
  const objects = Array.from(
    { length: copies },
    (_, i) =>
      parseManifests(
        deployment('web', '{ app: web }') + pdb('web', '{ matchLabels: { app: web } }'),
        `overlays/${i}/web.yaml`,
      ).objects,
  ).flat();
  const index = new ObjectIndex(objects, { kubeVersion: '1.33' });

  it('makes each pair once per group of workloads, not once per workload', () => {
    const pairs = overlappingPdbPairs(index);
    expect(pairs).toHaveLength((copies * (copies - 1)) / 2);
    // Every pair is made from the one group that holds all 300 copies.
    const groups = new Set(pairs.flatMap((p) => p.groups));
    expect(groups.size).toBe(1);
    expect([...groups][0]!.workloads).toHaveLength(copies);
    expect(pairs.reduce((n, p) => n + p.groups.length, 0)).toBe(pairs.length);
    expect(pairs[0]!.workloads()).toBe(Array(copies).fill('Deployment web').join(', '));
  });

  it('lists a pair’s workloads in input order when several groups share it', () => {
    const text =
      deployment('a', '{ app: x }') +
      deployment('b', '{ app: x, extra: y }') +
      deployment('c', '{ app: x }') +
      pdb('one', '{ matchLabels: { app: x } }') +
      pdb('two', '{ matchLabels: { app: x } }') +
      pdb('three', '{ matchLabels: { extra: y } }');
    const pairs = overlappingPdbPairs(new ObjectIndex(parseManifests(text, 'x.yaml').objects));
    expect(pairs.map((p) => [p.earlier.name, p.later.name, p.groups.length, p.workloads()])).toEqual([
      ['one', 'two', 2, 'Deployment a, Deployment b, Deployment c'],
      ['one', 'three', 1, 'Deployment b'],
      ['two', 'three', 1, 'Deployment b'],
    ]);
  });
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;

describe('the headline stands alone', () => {
  it('names both PDBs; the workloads, the eviction error and the fix are the detail', () => {
    const [f] = findings(
      deployment('web', '{ app: web }') + pdb('web-a', '{ matchLabels: { app: web } }') + pdb('web-b', '{}'),
    );
    expect(f!.message).toBe('PDBs web-b and web-a select the same pods, so none can be evicted');
    expect(f!.detail).toBe(
      'Both select the pods of Deployment web, and the eviction API refuses to evict a pod with more than one PodDisruptionBudget ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."), so every drain and node upgrade blocks on them. Keep one PDB per workload: narrow one of the selectors, or delete one of the PDBs.',
    );
  });
});
