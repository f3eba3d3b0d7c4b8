import { describe, expect, it } from 'vitest';
import { simulate, type SimOptions } from '../../src/simulate/index.js';
import { node, objects, topo } from './harness.js';

/**
 * Pending pods that would all fail the same way are counted, not made and scheduled one by one
 * (SimContext.placeMany): the report must be byte-identical to the one-by-one path
 * (`placeEveryPod`), and a replica count of int32's maximum must finish in seconds.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A small cluster that cannot hold every replica, with workloads of every shape the rollouts treat apart. */
function generated(seed: number): { yaml: string; nodes: ReturnType<typeof node>[] } {
  const r = rng(seed);
  const zones = ['a', 'b', 'c'].slice(0, 1 + Math.floor(r() * 3));
  const nodes = Array.from({ length: 2 + Math.floor(r() * 5) }, (_, i) =>
    node(`node-${i + 1}`, `zone-${zones[i % zones.length]}`, {
      cpu: pick(r, [1000, 2000, 4000]),
      pods: pick(r, [5, 10, 30]),
    }),
  );
  const docs: string[] = [
    'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: high }\nvalue: 1000',
  ];
  const count = 1 + Math.floor(r() * 4);
  for (let i = 0; i < count; i++) {
    const name = `w${i}`;
    const kind = pick(r, ['Deployment', 'Deployment', 'StatefulSet']);
    const replicas = pick(r, [1, 3, 8, 25, 60, 150]);
    const strategy =
      kind === 'StatefulSet'
        ? pick(r, [
            '',
            `updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: ${pick(r, [1, 2, 5])} } }`,
          ])
        : pick(r, [
            '',
            'strategy: { type: Recreate }',
            `strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: ${pick(r, ['1', '"25%"', '"100%"', '0'])}, maxUnavailable: ${pick(r, ['1', '"25%"', '0', '"50%"'])} } }`,
          ]);
    const spread = pick(r, [
      '',
      `topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ${pick(r, ['DoNotSchedule', 'ScheduleAnyway'])}, labelSelector: { matchLabels: { app: ${name} } } }]`,
      `affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: ${name} } } }] } }`,
    ]);
    const priority = r() < 0.25 ? 'priorityClassName: high' : '';
    const cpu = pick(r, ['100m', '250m', '500m', '1']);
    docs.push(`apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${name}, namespace: default }
spec:
  replicas: ${replicas}
  ${kind === 'StatefulSet' ? `serviceName: ${name}` : ''}
  ${strategy}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${priority}
      ${spread}
      containers: [{ name: c, image: c:1, resources: { requests: { cpu: ${cpu}, memory: 64Mi } } }]`);
    if (r() < 0.5)
      docs.push(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: default }
spec:
  ${pick(r, ['maxUnavailable: 1', 'minAvailable: "50%"', 'minAvailable: 2'])}
  selector: { matchLabels: { app: ${name} } }`);
  }
  return { yaml: docs.join('\n---\n'), nodes };
}

function report(yaml: string, nodes: ReturnType<typeof node>[], options: SimOptions): string {
  const rep = simulate(objects(yaml), topo(nodes), options);
  delete (rep as { stats?: unknown }).stats;
  return JSON.stringify(rep);
}

describe('simulate: Pending pods counted instead of placed one by one', () => {
  it('gives the one-by-one report on generated clusters that cannot hold every replica', () => {
    let counted = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { yaml, nodes } = generated(seed);
      for (const upgradeMode of ['replace', 'in-place'] as const) {
        const fast = report(yaml, nodes, { upgradeMode });
        const slow = report(yaml, nodes, { upgradeMode, placeEveryPod: true });
        expect(fast, `seed ${seed} (${upgradeMode})`).toBe(slow);
      }
      if (/"pending":[1-9]/.test(report(yaml, nodes, {}))) counted++;
    }
    // The generator is meant to leave replicas Pending: most cases exercise the counted path.
    expect(counted).toBeGreaterThan(30);
  }, 120_000);

  it('places int32-maximum replicas in seconds, every one beyond the room Pending (40 fit per node by cpu)', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2147483647
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: c, image: c:1, resources: { requests: { cpu: 100m, memory: 64Mi } } }]`;
    const nodes = [node('node-1', 'zone-a', { pods: 50 }), node('node-2', 'zone-b', { pods: 50 })];
    const started = performance.now();
    const rep = simulate(objects(yaml), topo(nodes), {});
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(rep.placement[0]).toMatchObject({ desired: 2147483647, scheduled: 80, pending: 2147483567 });
  }, 60_000);
});
