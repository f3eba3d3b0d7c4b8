// The offline half of the fidelity suite (the e2e half, test/e2e/fidelity.test.ts, needs a cluster):
// the case files load, the simulator takes every one, and the comparison catches what it must.
import { describe, expect, it } from 'vitest';
import {
  CASE_LABEL,
  loadCases,
  parseCase,
  podSpecOf,
  shortId,
  WORKLOAD_KINDS,
  type FidelityCase,
} from './case.js';
import { compare } from './compare.js';
import type { Observation } from './observation.js';
import { predict } from './predict.js';

const cases = loadCases();

const NODE = `apiVersion: v1
kind: Node
metadata: { name: t-1, labels: { topology.kubernetes.io/zone: zone-a } }
status: { capacity: { cpu: "4", memory: 16Gi, pods: "110" } }
`;
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: app, image: x }] }
`;
const file = (header: string, ...docs: string[]): string => [header, NODE, ...docs].join('---\n');

describe('fidelity cases', () => {
  it('there are at least 20, with unique node names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const names = cases.flatMap((c) => c.nodes.map((n) => n.metadata.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('cover both deciders, both levels and drains', () => {
    expect(new Set(cases.map((c) => c.decidedBy))).toEqual(new Set(['hard', 'score']));
    expect(new Set(cases.map((c) => c.level))).toEqual(new Set(['node', 'zone']));
    expect(cases.filter((c) => c.drain).length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: the simulator places every workload', (_, c) => {
    const p = predict(c, 'fid-offline');
    const workloads = c.manifests.filter((m) => WORKLOAD_KINDS.has(String(m['kind']))).map(shortId);
    expect(p.placement.map((w) => w.workload)).toEqual(workloads);
    if (c.drain) expect(p.drain?.workloads.length).toBeGreaterThan(0);
  });
});

describe('parseCase', () => {
  it('reads the header, the nodes (as kwok nodes) and the manifests', () => {
    const c = parseCase(file('kind: FidelityCase\ntests: t\ndecidedBy: hard\nlevel: node\n', WEB), 'x.yaml');
    expect(c).toMatchObject({ id: 'x', decidedBy: 'hard', level: 'node' });
    expect(c.nodes[0]!.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 't-1', type: 'kwok' });
    expect(c.manifests.map(shortId)).toEqual(['Deployment/web']);
  });

  it.each([
    ['kind: Other\n', 'the first document must be `kind: FidelityCase`'],
    ['kind: FidelityCase\ntests: t\ndecidedBy: maybe\nlevel: node\n', '`decidedBy:` must be hard or score'],
    ['kind: FidelityCase\ntests: t\ndecidedBy: score\nlevel: node\n', 'compared per zone'],
    ['kind: FidelityCase\ntests: t\ndecidedBy: hard\nlevel: node\ndrain: nope\n', 'drain: nope is not one'],
  ])('refuses a bad header: %j', (header, message) => {
    expect(() => parseCase(file(header, WEB), 'bad.yaml')).toThrow(`bad.yaml: `);
    expect(() => parseCase(file(header, WEB), 'bad.yaml')).toThrow(message);
  });

  it('refuses a namespace in a manifest and an unsupported kind', () => {
    const h = 'kind: FidelityCase\ntests: t\ndecidedBy: hard\nlevel: node\n';
    expect(() =>
      parseCase(file(h, WEB.replace('{ name: web }', '{ name: web, namespace: x }')), 'b.yaml'),
    ).toThrow('leave the namespace out');
    expect(() =>
      parseCase(file(h, 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: j }\n'), 'b.yaml'),
    ).toThrow('kind Job is not supported');
  });
});

describe('failure cases', () => {
  const TOLERATES = WEB.replace(
    '    spec: { containers',
    '    spec:\n      tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5 }]\n      containers_',
  ).replace('containers_: [{ name: app, image: x }] }', 'containers: [{ name: app, image: x }]');
  const h = (extra: string): string => `kind: FidelityCase\ntests: t\ndecidedBy: hard\nlevel: node\n${extra}`;

  it('there are at least 20, each of a kind the suite covers', () => {
    const failures = cases.filter((c) => c.failure);
    expect(failures.length).toBeGreaterThanOrEqual(20);
    expect(new Set(failures.map((c) => c.failure!.kind))).toEqual(
      new Set(['node-loss', 'zone-loss', 'rollout']),
    );
  });

  it('read lose, loseZone and rollout; a failure case is isolated on its own nodes', () => {
    const c = parseCase(file(h('lose: t-1\n'), TOLERATES), 'x.yaml');
    expect(c.failure).toEqual({ kind: 'node-loss', node: 't-1' });
    expect(c.isolated).toBe(true);
    expect(c.nodes[0]!.metadata.labels[CASE_LABEL]).toBe('x');
    const pod = podSpecOf(c.manifests[0]!)!;
    expect(pod['nodeSelector']).toEqual({ [CASE_LABEL]: 'x' });
    expect(parseCase(file(h('loseZone: zone-a\n'), TOLERATES), 'x.yaml').failure).toEqual({
      kind: 'zone-loss',
      zone: 'zone-a',
    });
    expect(parseCase(file(h('rollout: Deployment/web\n'), WEB), 'x.yaml').failure).toEqual({
      kind: 'rollout',
      workload: 'Deployment/web',
    });
    expect(parseCase(file(h(''), WEB), 'x.yaml').isolated).toBe(false);
  });

  it.each([
    ['lose: t-1\n', WEB, 'set a toleration of node.kubernetes.io/unreachable'],
    ['lose: nope\n', TOLERATES, 'lose: nope is not one'],
    ['loseZone: zone-z\n', TOLERATES, 'no node of the case is in zone-z'],
    ['rollout: Deployment/api\n', WEB, 'rollout: Deployment/api is not one'],
    ['lose: t-1\nrollout: Deployment/web\n', TOLERATES, 'a case makes one failure'],
    ['lose: t-1\ndrain: t-1\n', TOLERATES, 'a case makes one failure'],
  ])('refuse %j', (extra, doc, message) => {
    expect(() => parseCase(file(h(extra), doc), 'bad.yaml')).toThrow(message);
  });

  it("refuses nodeAffinityPolicy Ignore in an isolated case (other cases' nodes would count)", () => {
    const ignore = TOLERATES.replace(
      '      containers:',
      '      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Ignore, labelSelector: { matchLabels: { app: web } } }]\n      containers:',
    );
    expect(() => parseCase(file(h('lose: t-1\n'), ignore), 'b.yaml')).toThrow('nodeAffinityPolicy: Ignore');
  });

  it('compare every workload after the failure', () => {
    const c = parseCase(file(h('lose: t-1\n'), TOLERATES), 'x.yaml');
    const outcome = {
      workload: 'Deployment/web',
      verdict: 'ok' as const,
      floor: 1,
      minReady: 1,
      readyAfter: 2,
      pendingAfter: 0,
    };
    const obs = (o: typeof outcome): Observation => ({ placement: [], outcomes: [o] });
    expect(compare(c, obs(outcome), obs(outcome)).agree).toBe(true);
    const r = compare(c, obs(outcome), obs({ ...outcome, readyAfter: 1 }));
    expect(r.differences).toEqual([
      'Deployment/web after node-loss:t-1: real {"verdict":"ok","floor":1,"minReady":1,"readyAfter":2,"pendingAfter":0}, predicted {"verdict":"ok","floor":1,"minReady":1,"readyAfter":1,"pendingAfter":0}',
    ]);
  });
});

describe('compare', () => {
  const c = (level: 'node' | 'zone', drain?: string): FidelityCase => ({
    id: 'c',
    file: 'c.yaml',
    tests: 't',
    decidedBy: 'hard',
    level,
    firstPass: true,
    isolated: false,
    ...(drain ? { drain } : {}),
    nodes: [],
    manifests: [],
  });
  const obs = (byNode: Record<string, number>, pending = 0): Observation => ({
    placement: [
      {
        workload: 'Deployment/web',
        desired: 3,
        scheduled: 3 - pending,
        pending,
        byNode,
        byZone: { 'zone-a': Object.values(byNode).reduce((a, b) => a + b, 0) },
      },
    ],
  });

  it('agrees on identical observations', () => {
    expect(compare(c('node'), obs({ a: 2, b: 1 }), obs({ a: 2, b: 1 }))).toEqual({
      agree: true,
      differences: [],
    });
  });

  it('per node, a different node split is a difference; per zone it is not', () => {
    const r = compare(c('node'), obs({ a: 2, b: 1 }), obs({ a: 1, b: 2 }));
    expect(r.differences).toEqual(['Deployment/web byNode: real {"a":2,"b":1}, predicted {"a":1,"b":2}']);
    expect(compare(c('zone'), obs({ a: 2, b: 1 }), obs({ a: 1, b: 2 })).agree).toBe(true);
  });

  it('Pending counts always count', () => {
    const r = compare(c('zone'), obs({ a: 2 }, 1), obs({ a: 2, b: 1 }));
    expect(r.agree).toBe(false);
    expect(r.differences.some((d) => d.startsWith('Deployment/web pending'))).toBe(true);
  });

  it('a drain compares the evictions and whether it was blocked', () => {
    const ev = { workload: 'Deployment/web', onNode: 2, allowed: 1, refused: 1, pendingAfter: 0 };
    const real = { ...obs({ a: 2, b: 1 }), drain: { node: 'a', workloads: [ev], blocked: true } };
    const same = { ...obs({ a: 2, b: 1 }), drain: { node: 'a', workloads: [ev], blocked: true } };
    const other = {
      ...obs({ a: 2, b: 1 }),
      drain: { node: 'a', workloads: [{ ...ev, allowed: 2, refused: 0 }], blocked: false },
    };
    expect(compare(c('node', 'a'), real, same).agree).toBe(true);
    const r = compare(c('node', 'a'), real, other);
    expect(r.differences.map((d) => d.split(':')[0])).toEqual([
      'drain a blocked',
      'Deployment/web evictions',
    ]);
  });
});
