// Cases from the Kubernetes docs ("Inter-pod affinity and anti-affinity": the web-store / cache example,
// required anti-affinity per zone) and kube-scheduler's interpodaffinity/filtering_test.go and scoring_test.go.
import { describe, expect, it } from 'vitest';
import {
  affinitySatisfied,
  antiAffinitySatisfied,
  normalizeInterPodAffinityScores,
  rejectsAnyAffinityTerm,
  rejectsAnyAntiAffinityTerm,
} from '../../../src/simulate/scheduler/inter-pod-affinity.js';
import { deployment, node, placed, topo, tryOne } from '../harness.js';

const antiZone = `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: { matchLabels: { app: web } }
        topologyKey: topology.kubernetes.io/zone
containers: [{ name: web, image: nginx }]
`;

describe('InterPodAffinity arithmetic', () => {
  it('required affinity needs a match in every term; the first pod of a self-selecting group may go anywhere', () => {
    expect(affinitySatisfied([1, 2], [true, true], 3, false)).toBe(true);
    expect(affinitySatisfied([0, 2], [true, true], 2, true)).toBe(false);
    expect(affinitySatisfied([0], [true], 0, true)).toBe(true);
    expect(affinitySatisfied([0], [true], 0, false)).toBe(false);
  });
  it('required anti-affinity needs no match', () => {
    expect(antiAffinitySatisfied([0, 0])).toBe(true);
    expect(antiAffinitySatisfied([0, 1])).toBe(false);
  });
  it('scores are normalised min-max to 0..100', () => {
    const s = [-5, 0, 5];
    normalizeInterPodAffinityScores(s);
    expect(s).toEqual([0, 50, 100]);
  });
});

describe('InterPodAffinity on a cluster', () => {
  const t = topo([node('node-1', 'zone-a'), node('node-2', 'zone-b'), node('node-3', 'zone-c')]);

  it("required anti-affinity per zone: a fourth replica stays Pending, in kube-scheduler's words", () => {
    const { ctx, where } = placed(deployment('web', 4, antiZone), t);
    expect(where('web')).toEqual(['Pending', 'node-1', 'node-2', 'node-3']);
    expect(ctx.workloads[0]!.pendingMessages).toEqual([
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    ]);
  });

  it("existing pods' anti-affinity keeps other matching pods away (symmetry)", () => {
    const yaml =
      deployment('cache', 1, antiZone.replace('app: web', 'app: web-client')) +
      '---\n' +
      deployment('web', 1, 'containers: [{ name: web, image: nginx }]').replace(
        /app: web\b/g,
        'app: web-client',
      );
    const { ctx, where } = placed(yaml, topo([node('node-1', 'zone-a')]));
    expect(where('cache')).toEqual(['node-1']);
    expect(where('web')).toEqual(['Pending']);
    expect(ctx.workloads[1]!.pendingMessages[0]).toBe(
      "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.",
    );
  });

  it('required affinity co-locates web with its cache (the docs example)', () => {
    const cache = deployment(
      'cache',
      1,
      'nodeSelector: { kubernetes.io/hostname: node-2 }\ncontainers: [{ name: c, image: redis }]',
    );
    const web = deployment(
      'web',
      2,
      `affinity:
  podAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: { matchLabels: { app: cache } }
        topologyKey: kubernetes.io/hostname
containers: [{ name: web, image: nginx }]`,
    );
    const { where } = placed(cache + '---\n' + web, t);
    expect(where('web')).toEqual(['node-2', 'node-2']);
  });

  it('preferred anti-affinity on hostname spreads replicas over nodes (the seed example)', () => {
    const pref = `
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector: { matchLabels: { app: web } }
          topologyKey: kubernetes.io/hostname
containers: [{ name: web, image: nginx }]
`;
    const { ctx, where } = placed(deployment('web', 3, pref), t);
    expect(where('web')).toEqual(['node-1', 'node-2', 'node-3']);
    expect(tryOne(ctx, 'web')).toMatch(/^node-\d$/);
  });
});

describe('the filter kernels the node loop runs', () => {
  it('agree with affinitySatisfied and antiAffinitySatisfied on every node of two terms', () => {
    // Two terms; node n's domain per term (-1: the node lacks the key) and matching pods per domain.
    const domains = [Int32Array.from([0, 1, -1, 2, 0]), Int32Array.from([1, -1, 0, 0, 2])];
    const counts = [Int32Array.from([2, 0, 1]), Int32Array.from([0, 3, 1])];
    for (let n = 0; n < 5; n++) {
      const inDomain = domains.map((d, j) => (d[n]! >= 0 ? counts[j]![d[n]!]! : 0));
      const hasKey = domains.map((d) => d[n]! >= 0);
      expect(rejectsAnyAffinityTerm(domains, counts, n)).toBe(!affinitySatisfied(inDomain, hasKey, 1, false));
      expect(rejectsAnyAntiAffinityTerm(domains, counts, n)).toBe(!antiAffinitySatisfied(inDomain));
    }
  });
});
