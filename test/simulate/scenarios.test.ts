import { describe, expect, it } from 'vitest';
import { deployment, node, run, topo } from './harness.js';
import { mergeReports, shorthandTopology } from '../../src/simulate/index.js';

const three = () =>
  topo([node('node-1', 'eu-west-1a'), node('node-2', 'eu-west-1b'), node('node-3', 'eu-west-1c')]);
const six = () => shorthandTopology({ nodes: 6, zones: 3 });
const outcome = (r: ReturnType<typeof run>, scenario: string, workload = 'shop/Deployment/web') =>
  r.scenarios.find((s) => s.id === scenario)?.workloads.find((w) => w.workload === workload);

const pdb = (spec: string) => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: shop }
spec:
  ${spec}
  selector: { matchLabels: { app: web } }
`;

const zoneSpread = `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: DoNotSchedule
    nodeTaintsPolicy: Honor
    labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx, resources: { requests: { cpu: 250m, memory: 256Mi } } }]
`;

describe('placement', () => {
  it('required zone anti-affinity with more replicas than zones: the extra pod stays Pending, and why', () => {
    const spec = `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: { matchLabels: { app: web } }
        topologyKey: topology.kubernetes.io/zone
containers: [{ name: web, image: nginx }]
`;
    const r = run(deployment('web', 4, spec), three(), { scenarios: [] });
    expect(r.placement[0]).toMatchObject({
      desired: 4,
      scheduled: 3,
      pending: 1,
      byZone: { 'eu-west-1a': 1, 'eu-west-1b': 1, 'eu-west-1c': 1 },
      pendingReasons: ["0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."],
    });
    expect(outcome(r, 'placement')).toMatchObject({ verdict: 'stuck', minReady: 3, pendingAfter: 1 });
  });

  it('is deterministic: the same input gives the same report', () => {
    const yaml = deployment('web', 5, 'containers: [{ name: web, image: nginx }]');
    const strip = (r: ReturnType<typeof run>) => JSON.stringify({ ...r, stats: undefined });
    expect(strip(run(yaml, six()))).toBe(strip(run(yaml, six())));
  });

  it('shards run independently and merge into the single-run report', () => {
    const yaml =
      deployment('web', 5, 'containers: [{ name: web, image: nginx }]') +
      '---\n' +
      deployment('api', 3, zoneSpread.replace(/app: web/g, 'app: api'));
    const strip = (r: ReturnType<typeof run>) => JSON.stringify({ ...r, stats: undefined });
    const whole = run(yaml, six());
    const parts = [0, 1, 2].map((index) => run(yaml, six(), { shard: { index, count: 3 } }));
    expect(strip(mergeReports(parts))).toBe(strip(whole));
  });

  it("insufficient resources, in the scheduler's words", () => {
    const spec = 'containers: [{ name: web, image: nginx, resources: { requests: { cpu: "3" } } }]';
    const r = run(deployment('web', 4, spec), three(), { scenarios: [] });
    expect(r.placement[0]!.pendingReasons).toEqual(['0/3 nodes are available: 3 Insufficient cpu.']);
  });
});

describe('zone-loss', () => {
  it('all replicas in one zone: outage for the toleration time, and the advice', () => {
    const spec = `
nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }
containers: [{ name: web, image: nginx }]
`;
    const t = topo([
      node('node-1', 'eu-west-1a'),
      node('node-4', 'eu-west-1a'),
      node('node-2', 'eu-west-1b'),
      node('node-3', 'eu-west-1c'),
    ]);
    const r = run(deployment('web', 3, spec), t, { scenarios: ['zone-loss'] });
    const o = outcome(r, 'zone-loss:eu-west-1a')!;
    expect(o).toMatchObject({
      verdict: 'outage',
      desired: 3,
      floor: 2,
      minReady: 0,
      readyAfter: 0,
      pendingAfter: 3,
    });
    expect(o.reason).toContain(
      '0 of 3 ready until the zone comes back — all 3 replicas were in eu-west-1a; its nodeSelector / node affinity pins every replica to one zone',
    );
    expect(r.workloads[0]).toMatchObject({ verdict: 'outage', scenario: 'zone-loss:eu-west-1a' });
  });

  it('all replicas in one zone by preference: down for the 300 s toleration, then replaced elsewhere', () => {
    const spec = `
affinity:
  nodeAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        preference:
          matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a] }]
containers: [{ name: web, image: nginx }]
`;
    const t = topo([
      node('node-1', 'eu-west-1a'),
      node('node-4', 'eu-west-1a'),
      node('node-2', 'eu-west-1b'),
      node('node-3', 'eu-west-1c'),
    ]);
    const o = outcome(
      run(deployment('web', 3, spec), t, { scenarios: ['zone-loss'] }),
      'zone-loss:eu-west-1a',
    )!;
    expect(o).toMatchObject({ verdict: 'outage', minReady: 0, readyAfter: 3, pendingAfter: 0 });
    expect(o.reason).toBe(
      '0 of 3 ready for 300 s — all 3 replicas were in eu-west-1a; add a zone topology spread constraint (topologyKey: topology.kubernetes.io/zone)',
    );
  });

  it('spread over zones: one zone lost, the others keep it up, replacements placed after 300 s', () => {
    const r = run(deployment('web', 3, zoneSpread) + pdb('maxUnavailable: 1'), six(), {
      scenarios: ['zone-loss'],
    });
    for (const z of ['zone-a', 'zone-b', 'zone-c']) {
      expect(outcome(r, `zone-loss:${z}`)).toMatchObject({
        verdict: 'ok',
        minReady: 2,
        readyAfter: 3,
        pendingAfter: 0,
      });
    }
  });

  it('DoNotSchedule with the default nodeTaintsPolicy: the lost zone still counts, the replacement stays Pending', () => {
    const r = run(deployment('web', 3, zoneSpread.replace('    nodeTaintsPolicy: Honor\n', '')), six(), {
      scenarios: ['zone-loss'],
    });
    const o = outcome(r, 'zone-loss:zone-a')!;
    expect(o).toMatchObject({ verdict: 'stuck', minReady: 2, readyAfter: 2, pendingAfter: 1 });
    expect(o.reason).toContain(
      "0/6 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 4 node(s) didn't match pod topology spread constraints.",
    );
    expect(o.reason).toContain('nodeTaintsPolicy: Honor');
  });
});

describe('node-loss', () => {
  it("a pod's own toleration of the unreachable taint sets how long it stays down", () => {
    const spec = `
tolerations:
  - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }
containers: [{ name: web, image: nginx }]
`;
    const r = run(deployment('web', 1, spec), three(), { scenarios: ['node-loss'] });
    const lost = r.scenarios.find((s) => s.kind === 'node-loss' && s.workloads.length > 0)!;
    expect(lost.workloads[0]!.reason).toMatch(
      /^0 of 1 ready for 30 s — the only replica was on node-\d; run 2 or more replicas/,
    );
  });
});

describe('drain', () => {
  it('blocked by a PDB that allows no disruption, naming the PDB', () => {
    const r = run(deployment('web', 3, zoneSpread) + pdb('minAvailable: 3'), three(), {
      scenarios: ['drain'],
    });
    const o = outcome(r, 'drain:node-1')!;
    expect(o).toMatchObject({
      verdict: 'stuck',
      blockedBy: 'shop/PodDisruptionBudget/web',
      minReady: 3,
      readyAfter: 3,
    });
    expect(o.reason).toContain('PDB web allows 0 disruptions (3 healthy, minAvailable 3 needs 3)');
  });

  it('no PDB and both replicas on the drained node: they go at once', () => {
    const spec =
      'nodeSelector: { kubernetes.io/hostname: node-1 }\ncontainers: [{ name: web, image: nginx }]';
    const t = topo([node('node-1', 'a'), node('node-2', 'b')]);
    const r = run(deployment('web', 2, spec), t, { scenarios: ['drain'] });
    const o = outcome(r, 'drain:node-1')!;
    expect(o.verdict).toBe('outage');
    expect(o.reason).toContain('no PDB holds the evictions back');
  });
});

describe('rollout', () => {
  it('required hostname anti-affinity, a replica on every node and maxUnavailable 0: stuck on the surge pod', () => {
    const spec = `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: { matchLabels: { app: web } }
        topologyKey: kubernetes.io/hostname
containers: [{ name: web, image: nginx }]
`;
    const strategy = '  strategy:\n    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }\n';
    const r = run(deployment('web', 3, spec, strategy), three(), { scenarios: ['rollout'] });
    const o = outcome(r, 'rollout:shop/Deployment/web')!;
    expect(o).toMatchObject({ verdict: 'stuck', minReady: 3, readyAfter: 3, pendingAfter: 1 });
    expect(o.reason).toContain("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    expect(o.reason).toContain('maxUnavailable ≥ 1');
  });

  it('the same with maxUnavailable 1 rolls through', () => {
    const spec = `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: { matchLabels: { app: web } }
        topologyKey: kubernetes.io/hostname
containers: [{ name: web, image: nginx }]
`;
    const strategy = '  strategy:\n    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 }\n';
    const r = run(deployment('web', 3, spec, strategy), three(), { scenarios: ['rollout'] });
    expect(outcome(r, 'rollout:shop/Deployment/web')).toMatchObject({
      verdict: 'ok',
      minReady: 2,
      readyAfter: 3,
      pendingAfter: 0,
    });
  });

  it('Recreate takes everything down', () => {
    const strategy = '  strategy: { type: Recreate }\n';
    const r = run(deployment('web', 3, zoneSpread, strategy), six(), { scenarios: ['rollout'] });
    const o = outcome(r, 'rollout:shop/Deployment/web')!;
    expect(o).toMatchObject({ verdict: 'outage', minReady: 0, readyAfter: 3 });
    expect(o.reason).toContain('Recreate takes all 3 replicas down first');
  });
});

describe('upgrade', () => {
  const yaml = deployment('web', 2, 'containers: [{ name: web, image: nginx }]');
  const t = () => topo([node('node-1', 'a'), node('node-2', 'b')]);

  it('in place without a PDB: both replicas end up on the last node and are evicted together', () => {
    const r = run(yaml, t(), { scenarios: ['upgrade'], upgradeMode: 'in-place' });
    expect(outcome(r, 'upgrade')).toMatchObject({ verdict: 'outage', minReady: 0 });
  });

  it('in place with a PDB: one eviction at a time', () => {
    const r = run(yaml + pdb('maxUnavailable: 1'), t(), { scenarios: ['upgrade'], upgradeMode: 'in-place' });
    expect(outcome(r, 'upgrade')).toMatchObject({ verdict: 'ok', minReady: 1, readyAfter: 2 });
  });

  it('node replacement moves each replica to a new node', () => {
    const r = run(yaml + pdb('maxUnavailable: 1'), t(), { scenarios: ['upgrade'] });
    expect(outcome(r, 'upgrade')).toMatchObject({ verdict: 'ok', readyAfter: 2, pendingAfter: 0 });
  });
});

describe('--worst-case', () => {
  it('ignores preferred anti-affinity and piles the replicas on one node', () => {
    const spec = `
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector: { matchLabels: { app: web } }
          topologyKey: kubernetes.io/hostname
containers: [{ name: web, image: nginx }]
`;
    const usual = run(deployment('web', 3, spec), six(), { scenarios: ['node-loss'] });
    const worst = run(deployment('web', 3, spec), six(), { scenarios: ['node-loss'], worstCase: true });
    expect(Object.keys(usual.placement[0]!.byNode)).toHaveLength(3);
    expect(Object.values(worst.placement[0]!.byNode)).toEqual([3]);
    expect(worst.workloads[0]!.verdict).toBe('outage');
    expect(usual.workloads[0]!.verdict).toBe('ok');
  });
});
