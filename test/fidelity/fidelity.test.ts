// The offline half of the fidelity suite (the e2e half, test/e2e/fidelity.test.ts, needs a cluster):
// the case files load, the simulator takes every one, and the comparison catches what it must.
import { describe, expect, it } from 'vitest';
import { loadCases, parseCase, shortId, WORKLOAD_KINDS, type FidelityCase } from './case.js';
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
