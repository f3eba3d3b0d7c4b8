// Cases from the Kubernetes docs ("Pod Topology Spread Constraints": the 4-node / 2-zone example,
// minDomains, nodeAffinityPolicy / nodeTaintsPolicy, matchLabelKeys) and kube-scheduler's
// podtopologyspread/filtering_test.go and scoring_test.go.
import { describe, expect, it } from 'vitest';
import {
  minMatchNum,
  normalizeSpreadScores,
  rejectsSkew,
  scoreForCount,
  skewAllows,
  skewLimit,
  topologyNormalizingWeight,
} from '../../../src/simulate/scheduler/pod-topology-spread.js';
import { deployment, node, placed, topo, tryOne } from '../harness.js';

const zoneSpread = (extra = '') => `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }${extra}
containers: [{ name: web, image: nginx, resources: { requests: { cpu: 100m } } }]
`;

describe('PodTopologySpread arithmetic', () => {
  it('skew = existing + self - global minimum, compared with maxSkew', () => {
    expect(skewAllows(2, true, 1, 1)).toBe(false);
    expect(skewAllows(1, true, 1, 1)).toBe(true);
  });
  it('fewer eligible domains than minDomains make the global minimum 0', () => {
    expect(minMatchNum([2, 2, 2], 1)).toBe(2);
    expect(minMatchNum([2, 2, 2], 5)).toBe(0);
  });
  it('scores: count × ln(domains + 2) + maxSkew - 1, normalised so fewer matches is better', () => {
    expect(topologyNormalizingWeight(3)).toBeCloseTo(Math.log(5));
    expect(scoreForCount(2, 1, 1.5)).toBe(3);
    const s = [0, 2, 4];
    normalizeSpreadScores(s, [0, 0, 0]);
    expect(s).toEqual([100, 50, 0]);
    const ignored = [10, 20];
    normalizeSpreadScores(ignored, [1, 0]);
    expect(ignored).toEqual([0, 100]);
  });
});

describe('PodTopologySpread filter on a cluster', () => {
  const nodes = topo([
    node('node1', 'zoneA'),
    node('node2', 'zoneA'),
    node('node3', 'zoneB'),
    node('node4', 'zoneB'),
  ]);

  it('the docs example: 3 pods over 2 zones, the 4th goes to the zone with fewer', () => {
    const { ctx, where } = placed(deployment('web', 3, zoneSpread()), nodes);
    const w = where('web');
    const inA = w.filter((n) => n === 'node1' || n === 'node2').length;
    expect([inA, 3 - inA].sort()).toEqual([1, 2]);
    const next = tryOne(ctx, 'web');
    const zoneOfNext = next === 'node1' || next === 'node2' ? 'A' : 'B';
    expect(zoneOfNext).toBe(inA === 1 ? 'A' : 'B');
  });

  it('a node without the topology key fails with "missing required label"', () => {
    const t = topo([
      node('node1', 'zoneA'),
      { ...node('node2', 'x'), labels: { 'kubernetes.io/hostname': 'node2' } },
    ]);
    const { ctx } = placed(deployment('web', 1, zoneSpread()), t);
    ctx.state.setUnschedulable(0, true);
    expect(tryOne(ctx, 'web')).toBe(
      "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 1 node(s) were unschedulable.",
    );
  });

  it('minDomains: with fewer zones than minDomains the minimum is 0, so a second pod per zone is refused', () => {
    const { where } = placed(deployment('web', 3, zoneSpread('\n    minDomains: 3')), nodes);
    expect(where('web').filter((n) => n === 'Pending')).toHaveLength(1);
  });

  it('nodeAffinityPolicy Honor (default): nodes the pod cannot use are not domains', () => {
    const pinned = `
nodeSelector: { topology.kubernetes.io/zone: zoneA }
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx }]
`;
    const { where } = placed(deployment('web', 4, pinned), nodes);
    expect(where('web')).toEqual(['node1', 'node1', 'node2', 'node2']);
  });

  it('nodeTaintsPolicy Ignore (default) counts a cordoned node as a domain; Honor does not', () => {
    const t = topo([node('node1', 'zoneA'), node('node2', 'zoneB'), node('node3', 'zoneC')]);
    for (const [policy, expected] of [
      [
        '',
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod topology spread constraints.",
      ],
      ['\n    nodeTaintsPolicy: Honor', 'node'],
    ] as const) {
      const { ctx } = placed(
        deployment(
          'web',
          2,
          zoneSpread(policy).replace('topology.kubernetes.io/zone', 'kubernetes.io/hostname'),
        ),
        t,
      );
      const empty = ctx.state.order.find((n) => ctx.state.podCount[n] === 0)!;
      ctx.state.setUnschedulable(empty, true);
      const r = tryOne(ctx, 'web');
      if (expected === 'node') expect(r).toMatch(/^node\d$/);
      else expect(r).toBe(expected);
    }
  });

  it('matchLabelKeys: pods of another revision (pod-template-hash) do not count', () => {
    const spec = `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }
    matchLabelKeys: [pod-template-hash]
containers: [{ name: web, image: nginx }]
`;
    const t = topo([node('node1', 'zoneA'), node('node2', 'zoneB')]);
    const { ctx } = placed(deployment('web', 2, spec), t);
    const wl = ctx.workloads[0]!;
    const next = ctx.nextClass(wl);
    expect(next.hardSpread[0]!.counter.total).toBe(0);
    expect(wl.cls.hardSpread[0]!.counter.total).toBe(2);
  });
});

describe('system default spreading', () => {
  it('spreads a Service-backed Deployment without constraints over nodes and zones', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;
    const t = topo([
      node('n1', 'a'),
      node('n2', 'b'),
      node('n3', 'c'),
      node('n4', 'a'),
      node('n5', 'b'),
      node('n6', 'c'),
    ]);
    const { ctx, where } = placed(deployment('web', 6, 'containers: [{ name: web, image: nginx }]') + svc, t);
    expect(new Set(where('web')).size).toBe(6);
    expect(ctx.workloads[0]!.cls.systemDefaulted).toBe(true);
    expect(ctx.workloads[0]!.cls.softSpread.map((c) => c.maxSkew)).toEqual([3, 5]);
  });
});

describe('the filter kernel the node loop runs', () => {
  it('rejects exactly the domains skewAllows refuses, and nodes without the key', () => {
    const counts = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
    for (const maxSkew of [1, 2, 3])
      for (const min of [0, 1, 2])
        for (const self of [true, false])
          for (let d = 0; d < counts.length; d++)
            expect([maxSkew, min, self, d, rejectsSkew(d, counts, skewLimit(maxSkew, min, self))]).toEqual([
              maxSkew,
              min,
              self,
              d,
              !skewAllows(counts[d]!, self, min, maxSkew),
            ]);
    expect(rejectsSkew(-1, counts, 100)).toBe(true);
  });
});
