import { describe, expect, it } from 'vitest';
import {
  analyzeSpread,
  constraintSelectsOwnPods,
  effectiveSpreadSelector,
  effectiveTermSelector,
  nodeKeyRefs,
  pinnedDomain,
  podAffinityTerms,
  podIdentity,
  replicaCount,
  selectorKeyPath,
  termCoversNamespace,
  termSelectsOwnPods,
  topologyLevel,
  topologySpreadConstraints,
} from '../../src/model/affinity.js';
import { matches } from '../../src/model/labels.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import type { JsonObject } from '../../src/model/types.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

function spec(text: string): JsonObject {
  const { objects } = parseManifests(
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${text}`,
    't.yaml',
  );
  return objects[0]!.raw['spec'] as JsonObject;
}

const web = podIdentity('Deployment', { app: 'web' }, 'shop');

describe('reading terms and constraints', () => {
  const s = spec(`
  affinity:
    podAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 50
          podAffinityTerm:
            labelSelector: { matchLabels: { app: cache } }
            topologyKey: topology.kubernetes.io/zone
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: { matchExpressions: [{ key: app, operator: In, values: [web] }] }
          topologyKey: kubernetes.io/hostname
          namespaces: [shop]
          matchLabelKeys: [pod-template-hash]
        - topologyKey: kubernetes.io/hostname
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector: { matchLabels: { app: web } }
      minDomains: 3
`);

  it('reads affinity terms with their paths, modes and weights, in document order', () => {
    const terms = podAffinityTerms(s, '/spec/template/spec');
    expect(terms.map((t) => [t.type, t.mode, t.weight, t.topologyKey, t.path])).toEqual([
      [
        'podAffinity',
        'preferred',
        50,
        'topology.kubernetes.io/zone',
        '/spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm',
      ],
      [
        'podAntiAffinity',
        'required',
        undefined,
        'kubernetes.io/hostname',
        '/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0',
      ],
      [
        'podAntiAffinity',
        'required',
        undefined,
        'kubernetes.io/hostname',
        '/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/1',
      ],
    ]);
    expect(terms[1]!.namespaces).toEqual(['shop']);
    expect(terms[1]!.matchLabelKeys).toEqual(['pod-template-hash']);
    // A term without labelSelector keeps it undefined: LabelSelectorAsSelector(nil) is labels.Nothing().
    expect(terms[2]!.labelSelector).toBeUndefined();
  });

  it('reads spread constraints', () => {
    const [c] = topologySpreadConstraints(s, '/spec');
    expect(c).toMatchObject({
      path: '/spec/topologySpreadConstraints/0',
      index: 0,
      maxSkew: 1,
      whenUnsatisfiable: 'DoNotSchedule',
      minDomains: 3,
      labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
    });
  });

  it('returns nothing for a pod spec without affinity or constraints', () => {
    expect(podAffinityTerms({}, '/spec')).toEqual([]);
    expect(topologySpreadConstraints({ topologySpreadConstraints: null }, '/spec')).toEqual([]);
  });
});

describe('topology levels', () => {
  it('maps the GA and the beta keys to the same level', () => {
    expect(topologyLevel('kubernetes.io/hostname')).toBe('node');
    expect(topologyLevel('topology.kubernetes.io/zone')).toBe('zone');
    expect(topologyLevel('failure-domain.beta.kubernetes.io/zone')).toBe('zone');
    expect(topologyLevel('failure-domain.beta.kubernetes.io/region')).toBe('region');
    expect(topologyLevel('example.com/rack')).toBeUndefined();
  });
});

describe('effective selectors', () => {
  // PodAffinityTerm docs: matchLabelKeys merge as `key in (value)`, mismatchLabelKeys as `key notin
  // (value)`; keys the incoming pod lacks are ignored.
  it('merges matchLabelKeys and mismatchLabelKeys with the pod values', () => {
    const [t] = podAffinityTerms(
      spec(`
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: { matchLabels: { app: db } }
          topologyKey: topology.kubernetes.io/zone
          matchLabelKeys: [pod-template-hash, absent]
          mismatchLabelKeys: [tenant]
`),
      '/spec',
    );
    const s = effectiveTermSelector(t!, { 'pod-template-hash': 'abc', tenant: 't1' })!;
    expect(s.matchExpressions).toEqual([
      { key: 'pod-template-hash', operator: 'In', values: ['abc'] },
      { key: 'tenant', operator: 'NotIn', values: ['t1'] },
    ]);
    expect(matches(s, { app: 'db', 'pod-template-hash': 'abc', tenant: 't2' })).toBe(true);
    expect(matches(s, { app: 'db', 'pod-template-hash': 'abc', tenant: 't1' })).toBe(false);
  });

  it('keeps a nil selector nil, even with matchLabelKeys', () => {
    const [c] = topologySpreadConstraints(
      spec(`
  topologySpreadConstraints:
    - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app] }
`),
      '/spec',
    );
    expect(effectiveSpreadSelector(c!, { app: 'web' })).toBeUndefined();
  });

  it('applies a term to its own namespace by default, to listed and selected namespaces otherwise', () => {
    const terms = podAffinityTerms(
      spec(`
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - { labelSelector: {}, topologyKey: kubernetes.io/hostname }
        - { labelSelector: {}, topologyKey: kubernetes.io/hostname, namespaces: [a] }
        - { labelSelector: {}, topologyKey: kubernetes.io/hostname, namespaceSelector: {} }
        - { labelSelector: {}, topologyKey: kubernetes.io/hostname, namespaces: [a], namespaceSelector: { matchLabels: { team: x } } }
`),
      '/spec',
    );
    const covers = (i: number, ns: string, labels = {}): boolean =>
      termCoversNamespace(terms[i]!, 'own', ns, labels);
    expect([covers(0, 'own'), covers(0, 'a')]).toEqual([true, false]);
    expect([covers(1, 'own'), covers(1, 'a')]).toEqual([false, true]);
    expect([covers(2, 'own'), covers(2, 'z')]).toEqual([true, true]);
    expect([covers(3, 'a'), covers(3, 'b', { team: 'x' }), covers(3, 'c', { team: 'y' })]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('selecting the own pods', () => {
  const terms = podAffinityTerms(
    spec(`
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web-server } }, topologyKey: kubernetes.io/hostname }
        - weight: 1
          podAffinityTerm: { topologyKey: kubernetes.io/hostname }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, namespaces: [other] }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, namespaces: [other, shop] }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, namespaceSelector: { matchLabels: { team: a } } }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, mismatchLabelKeys: [app] }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname, matchLabelKeys: [pod-template-hash] }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchLabels: { pod-template-hash: abc } }, topologyKey: kubernetes.io/hostname }
        - weight: 1
          podAffinityTerm: { labelSelector: { matchExpressions: [{ key: pod-template-hash, operator: Exists }] }, topologyKey: kubernetes.io/hostname }
        - weight: 1
          podAffinityTerm: { labelSelector: {}, topologyKey: kubernetes.io/hostname }
`),
    '/spec',
  );
  const verdicts = terms.map((t) => termSelectsOwnPods(t, web));

  it('matches the labels, with an empty selector matching every pod and a nil one none', () => {
    expect(verdicts[0]).toEqual({ verdict: 'yes' });
    expect(verdicts[1]).toEqual({
      verdict: 'no',
      reason: { kind: 'label', key: 'app', operator: 'In', values: ['web-server'], have: 'web' },
    });
    expect(verdicts[2]).toEqual({ verdict: 'no', reason: { kind: 'nil-selector' } });
    expect(verdicts[11]).toEqual({ verdict: 'yes' });
  });

  it('respects namespaces and namespaceSelector (kubernetes.io/metadata.name is always known)', () => {
    expect(verdicts[3]).toEqual({ verdict: 'no', reason: { kind: 'namespace' } });
    expect(verdicts[4]).toEqual({ verdict: 'yes' });
    expect(verdicts[5]).toEqual({ verdict: 'unknown' });
    expect(verdicts[6]).toEqual({ verdict: 'yes' });
    const known = podIdentity('Deployment', { app: 'web' }, 'shop', { team: 'a' });
    expect(termSelectsOwnPods(terms[5]!, known)).toEqual({ verdict: 'yes' });
    const otherTeam = podIdentity('Deployment', { app: 'web' }, 'shop', { team: 'b' });
    expect(termSelectsOwnPods(terms[5]!, otherTeam)).toEqual({
      verdict: 'no',
      reason: { kind: 'namespace' },
    });
  });

  it('knows mismatchLabelKeys exclude the own group and matchLabelKeys keep it', () => {
    expect(verdicts[7]).toEqual({ verdict: 'no', reason: { kind: 'mismatch-label-key', key: 'app' } });
    expect(verdicts[8]).toEqual({ verdict: 'yes' });
  });

  it('cannot tell values of labels the controller adds, but knows they exist', () => {
    expect(verdicts[9]).toEqual({ verdict: 'unknown' });
    expect(verdicts[10]).toEqual({ verdict: 'yes' });
    // A ReplicaSet written by hand gets no pod-template-hash: Exists fails.
    const rs = podIdentity('ReplicaSet', { app: 'web' }, 'shop');
    expect(termSelectsOwnPods(terms[10]!, rs).verdict).toBe('no');
  });

  it('sees that a per-pod label in matchLabelKeys selects the pod alone', () => {
    const [c] = topologySpreadConstraints(
      spec(`
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: DoNotSchedule
      labelSelector: { matchLabels: { app: db } }
      matchLabelKeys: [statefulset.kubernetes.io/pod-name]
`),
      '/spec',
    );
    const db = podIdentity('StatefulSet', { app: 'db' }, 'shop');
    expect(constraintSelectsOwnPods(c!, db)).toEqual({
      verdict: 'no',
      reason: { kind: 'per-pod-key', key: 'statefulset.kubernetes.io/pod-name' },
    });
    expect(constraintSelectsOwnPods(c!, web)).toMatchObject({ verdict: 'no', reason: { kind: 'label' } });
  });
});

describe('spreading over a level', () => {
  it('counts preferred and required anti-affinity, constraints, and required anti-affinity on a larger domain', () => {
    const s = spec(`
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - { labelSelector: { matchLabels: { app: web } }, topologyKey: topology.kubernetes.io/zone }
`);
    expect(analyzeSpread(s, '/spec', web, 'node').spreadBy?.type).toBe('term');
    expect(analyzeSpread(s, '/spec', web, 'zone').spreadBy?.type).toBe('term');
    expect(analyzeSpread(s, '/spec', web, 'region').spreadBy).toBeUndefined();
  });

  it('does not count preferred anti-affinity on a larger domain, podAffinity, or other keys', () => {
    const s = spec(`
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - { labelSelector: { matchLabels: { app: web } }, topologyKey: kubernetes.io/hostname }
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: topology.kubernetes.io/zone }
        - weight: 100
          podAffinityTerm: { labelSelector: { matchLabels: { app: web } }, topologyKey: example.com/rack }
`);
    expect(analyzeSpread(s, '/spec', web, 'node')).toEqual({ spreadBy: undefined, notOwn: [] });
  });

  it('lists the terms and constraints that miss the own pods', () => {
    const s = spec(`
  topologySpreadConstraints:
    - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: api } } }
`);
    const a = analyzeSpread(s, '/spec', web, 'node');
    expect(a.spreadBy).toBeUndefined();
    expect(a.notOwn.map((x) => x.type)).toEqual(['constraint']);
  });
});

describe('pins', () => {
  it('finds nodeName, nodeSelector and single-valued required node affinity', () => {
    expect(pinnedDomain(spec('  nodeName: n1'), '/spec', 'zone')).toMatchObject({
      value: 'n1',
      level: 'node',
      path: '/spec/nodeName',
    });
    expect(
      pinnedDomain(spec('  nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }'), '/spec', 'zone'),
    ).toMatchObject({
      value: 'eu-west-1a',
      level: 'zone',
      path: '/spec/nodeSelector/topology.kubernetes.io~1zone',
    });
    // A zone pin does not pin the node.
    expect(
      pinnedDomain(spec('  nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }'), '/spec', 'node'),
    ).toBeUndefined();
    const affinity = (terms: string): JsonObject =>
      spec(`
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
${terms}`);
    expect(
      pinnedDomain(
        affinity(`          - matchExpressions: [{ key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a] }]
          - matchExpressions: [{ key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a] }, { key: x, operator: Exists }]
`),
        '/spec',
        'zone',
      ),
    ).toMatchObject({ value: 'a', level: 'zone' });
    // Terms are ORed: two different zones, or one term without a pin, leave the pod free.
    expect(
      pinnedDomain(
        affinity(`          - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a] }]
          - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [b] }]
`),
        '/spec',
        'zone',
      ),
    ).toBeUndefined();
    expect(
      pinnedDomain(
        affinity(`          - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a, b] }]
`),
        '/spec',
        'zone',
      ),
    ).toBeUndefined();
    expect(
      pinnedDomain(
        affinity(`          - matchFields: [{ key: metadata.name, operator: In, values: [n1] }]
`),
        '/spec',
        'node',
      ),
    ).toMatchObject({ value: 'n1', level: 'node' });
  });
});

describe('node label keys', () => {
  it('lists topology keys, nodeSelector keys and node affinity keys with their paths', () => {
    const s = spec(`
  nodeSelector: { failure-domain.beta.kubernetes.io/zone: a }
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{ key: kubernetes.io/os, operator: In, values: [linux] }]
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          preference:
            matchFields: [{ key: metadata.name, operator: In, values: [n1] }]
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - { labelSelector: {}, topologyKey: kubernetes.io/hostname }
  topologySpreadConstraints:
    - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {} }
`);
    expect(nodeKeyRefs(s, '/spec').map((r) => [r.use, r.key, r.path])).toEqual([
      [
        'podAntiAffinity',
        'kubernetes.io/hostname',
        '/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey',
      ],
      [
        'topologySpreadConstraints',
        'topology.kubernetes.io/zone',
        '/spec/topologySpreadConstraints/0/topologyKey',
      ],
      [
        'nodeSelector',
        'failure-domain.beta.kubernetes.io/zone',
        '/spec/nodeSelector/failure-domain.beta.kubernetes.io~1zone',
      ],
      [
        'nodeAffinity',
        'kubernetes.io/os',
        '/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/key',
      ],
      [
        'nodeAffinity',
        'metadata.name',
        '/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/preference/matchFields/0/key',
      ],
    ]);
  });
});

describe('selectorKeyPath', () => {
  it('points at the matchLabels entry or the matchExpressions item of a key', () => {
    const raw = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }],
    };
    expect(selectorKeyPath(raw, '/s', 'app')).toBe('/s/matchLabels/app');
    expect(selectorKeyPath(raw, '/s', 'tier')).toBe('/s/matchExpressions/0');
    expect(selectorKeyPath(raw, '/s', 'other')).toBe('/s');
    expect(selectorKeyPath(undefined, '/s', 'app')).toBe('/s');
  });
});

describe('replica counts', () => {
  const index = new ObjectIndex(
    parseManifests(
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec: { replicas: 2 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: web-hpa }
        spec: { scaleTargetRef: { kind: Deployment, name: web }, maxReplicas: 8 }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: "off" }
        spec: { replicas: 0 }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: "off" }
        spec: { scaleTargetRef: { kind: Deployment, name: "off" }, maxReplicas: 8 }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: web-abc
          ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true }]
        spec: { replicas: 2 }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec: {}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: db }
        spec: {}
      `,
      't.yaml',
    ).objects,
  );
  const count = (kind: string, name: string) => replicaCount(index, index.workload('default', kind, name)!);

  it('takes the HPA maxReplicas as the peak', () => {
    expect(count('Deployment', 'web')).toEqual({
      replicas: 2,
      hpa: { name: 'web-hpa', maxReplicas: 8 },
      peak: 8,
    });
    expect(count('StatefulSet', 'db')).toEqual({ replicas: 1, peak: 1 });
  });

  it('skips replicas: 0, managed ReplicaSets and DaemonSets', () => {
    expect(count('Deployment', 'off')).toBeUndefined();
    expect(count('ReplicaSet', 'web-abc')).toBeUndefined();
    expect(count('DaemonSet', 'agent')).toBeUndefined();
  });
});
