// The VPA's resource policy as the recommender applies it: TestApplyVPAPolicy (utils/vpa/capping_test.go),
// TestControlledResourcesFiltered (logic/recommender_test.go) and the mode Off filter of
// routines/vpa.go, ported; then the same through recommendContainers.
import { describe, expect, it } from 'vitest';
import type { ContainerUsage } from '../../../src/model/usage.js';
import {
  capEstimate,
  containerPolicyFor,
  type ContainerResourcePolicy,
  type PodResourcePolicy,
} from '../../../src/rightsize/vpa/policy.js';
import { recommendContainers } from '../../../src/rightsize/vpa/recommend.js';
import { VPA_DEFAULTS } from '../../../src/rightsize/vpa/params.js';

const Mi = 2 ** 20;
const m = (millicores: number, mib: number) => ({ millicores, bytes: mib * Mi });
/** The capping test's recommendation: target 42m/42Mi, lower 31, upper 53. */
const recommendation = { target: m(42, 42), lowerBound: m(31, 31), upperBound: m(53, 53) };
const noGlobal = { containerRecommendationMaxAllowedCpu: 0, containerRecommendationMaxAllowedMemory: 0 };
const foo = (p: Omit<ContainerResourcePolicy, 'containerName'>): ContainerResourcePolicy => ({
  containerName: 'foo',
  ...p,
});

describe('capEstimate (TestApplyVPAPolicy)', () => {
  it('no policy, no global max: unchanged', () => {
    expect(capEstimate(recommendation, undefined, noGlobal)).toEqual({
      estimate: recommendation,
      cappings: [],
    });
  });

  it('minAllowed 50m/50Mi: target and lower bound raised, upper bound kept', () => {
    const r = capEstimate(
      recommendation,
      foo({ minAllowed: { cpuCores: 0.05, memoryBytes: 50 * Mi } }),
      noGlobal,
    );
    expect(r.estimate).toEqual({ target: m(50, 50), lowerBound: m(50, 50), upperBound: m(53, 53) });
    expect(r.cappings).toEqual([
      { resource: 'cpu', by: 'minAllowed', limit: 0.05 },
      { resource: 'memory', by: 'minAllowed', limit: 50 * Mi },
    ]);
  });

  it('maxAllowed 40m/40Mi: target and upper bound capped', () => {
    const r = capEstimate(
      recommendation,
      foo({ maxAllowed: { cpuCores: 0.04, memoryBytes: 40 * Mi } }),
      noGlobal,
    );
    expect(r.estimate).toEqual({ target: m(40, 40), lowerBound: m(31, 31), upperBound: m(40, 40) });
  });

  it('no policy, global max 40m/40Mi: the same as maxAllowed', () => {
    const r = capEstimate(recommendation, undefined, {
      containerRecommendationMaxAllowedCpu: 0.04,
      containerRecommendationMaxAllowedMemory: 40 * Mi,
    });
    expect(r.estimate).toEqual({ target: m(40, 40), lowerBound: m(31, 31), upperBound: m(40, 40) });
    expect(r.cappings.map((c) => c.by)).toEqual(['global maxAllowed', 'global maxAllowed']);
  });

  it('minAllowed 35 with global max 50: lower bound raised, upper bound capped, target kept', () => {
    const r = capEstimate(recommendation, foo({ minAllowed: { cpuCores: 0.035, memoryBytes: 35 * Mi } }), {
      containerRecommendationMaxAllowedCpu: 0.05,
      containerRecommendationMaxAllowedMemory: 50 * Mi,
    });
    expect(r.estimate).toEqual({ target: m(42, 42), lowerBound: m(35, 35), upperBound: m(50, 50) });
    expect(r.cappings).toEqual([]);
  });

  it('maxAllowed cpu 40m, global max memory 40Mi: each caps its own resource', () => {
    const r = capEstimate(recommendation, foo({ maxAllowed: { cpuCores: 0.04 } }), {
      containerRecommendationMaxAllowedCpu: 0,
      containerRecommendationMaxAllowedMemory: 40 * Mi,
    });
    expect(r.estimate).toEqual({ target: m(40, 40), lowerBound: m(31, 31), upperBound: m(40, 40) });
  });

  it("maxAllowed cpu 40m over a global 30m/30Mi: the VPA's cpu wins, the global memory fills in", () => {
    const r = capEstimate(recommendation, foo({ maxAllowed: { cpuCores: 0.04 } }), {
      containerRecommendationMaxAllowedCpu: 0.03,
      containerRecommendationMaxAllowedMemory: 30 * Mi,
    });
    expect(r.estimate).toEqual({ target: m(40, 30), lowerBound: m(31, 30), upperBound: m(40, 30) });
  });

  it('a zero bound caps nothing, and a zero maxAllowed still shadows the global flag', () => {
    const r = capEstimate(
      recommendation,
      foo({ maxAllowed: { cpuCores: 0 }, minAllowed: { memoryBytes: 0 } }),
      {
        containerRecommendationMaxAllowedCpu: 0.01,
        containerRecommendationMaxAllowedMemory: 0,
      },
    );
    expect(r.estimate).toEqual(recommendation);
  });

  it('minAllowed above maxAllowed: raised, then capped (max wins, as in Go)', () => {
    const r = capEstimate(
      recommendation,
      foo({ minAllowed: { cpuCores: 0.1 }, maxAllowed: { cpuCores: 0.06 } }),
      noGlobal,
    );
    expect(r.estimate.target.millicores).toBe(60);
    expect(r.estimate.lowerBound.millicores).toBe(60);
  });

  it('a resource the VPA does not control is not capped into existence', () => {
    const r = capEstimate(
      { target: { bytes: 42 * Mi }, lowerBound: { bytes: 31 * Mi }, upperBound: { bytes: 53 * Mi } },
      foo({ minAllowed: { cpuCores: 0.5, memoryBytes: 50 * Mi } }),
      noGlobal,
    );
    expect(r.estimate.target).toEqual({ bytes: 50 * Mi });
  });
});

describe('containerPolicyFor (GetContainerResourcePolicy)', () => {
  const policy: PodResourcePolicy = {
    containerPolicies: [
      { containerName: '*', mode: 'Off' },
      { containerName: 'app', maxAllowed: { cpuCores: 1 } },
      { containerName: '*', minAllowed: { cpuCores: 0.1 } },
    ],
  };
  it('the entry naming the container, else the last * entry', () => {
    expect(containerPolicyFor(policy, 'app')).toBe(policy.containerPolicies[1]);
    expect(containerPolicyFor(policy, 'sidecar')).toBe(policy.containerPolicies[2]);
    expect(containerPolicyFor(undefined, 'app')).toBeUndefined();
    expect(containerPolicyFor({ containerPolicies: [] }, 'app')).toBeUndefined();
  });
});

describe('recommendContainers with a policy', () => {
  const START = 1_700_000_000;
  /** One pod, one sample a minute for two days: cpu `cores`, memory `bytes`. */
  function usage(container: string, cores: number, bytes: number): ContainerUsage {
    const cpu = [];
    const memory = [];
    for (let t = START; t < START + 2 * 86_400; t += 60) {
      cpu.push({ time: t, value: cores });
      memory.push({ time: t, value: bytes });
    }
    return { pod: 'web-0', container, cpu, memory, ooms: [] };
  }
  const both = [usage('app', 0.002, 10 * Mi), usage('sidecar', 0.002, 10 * Mi)];

  it('mode Off: no recommendation, and the pod minimum is not split with it', () => {
    const plain = recommendContainers(both);
    expect(plain.map((r) => r.container)).toEqual(['app', 'sidecar']);
    // Both below the minimums: each gets half of 25m and 250Mi.
    expect(plain[0]!.target).toEqual({ cpuCores: 0.012, memoryBytes: 131072000 });
    const off = recommendContainers(both, {
      policy: { containerPolicies: [{ containerName: 'sidecar', mode: 'Off' }] },
    });
    expect(off.map((r) => r.container)).toEqual(['app']);
    expect(off[0]!.target).toEqual({ cpuCores: 0.025, memoryBytes: 262144000 });
  });

  it('controlledResources [memory]: no cpu numbers (TestControlledResourcesFiltered)', () => {
    const [rec] = recommendContainers([usage('app', 0.5, 500 * Mi)], {
      policy: { containerPolicies: [{ containerName: '*', controlledResources: ['memory'] }] },
    });
    expect(rec!.target.cpuCores).toBeUndefined();
    expect(rec!.lowerBound.cpuCores).toBeUndefined();
    expect(rec!.upperBound.cpuCores).toBeUndefined();
    expect(rec!.target.memoryBytes).toBeGreaterThan(500 * Mi);
    expect(rec!.controlledResources).toEqual(['memory']);
  });

  it('maxAllowed caps the target, uncappedTarget keeps what the estimate said', () => {
    const [plain] = recommendContainers([usage('app', 0.5, 500 * Mi)]);
    const [capped] = recommendContainers([usage('app', 0.5, 500 * Mi)], {
      policy: { containerPolicies: [{ containerName: 'app', maxAllowed: { cpuCores: 0.3 } }] },
    });
    expect(capped!.target).toEqual({ cpuCores: 0.3, memoryBytes: plain!.target.memoryBytes });
    expect(capped!.uncappedTarget).toEqual(plain!.target);
    expect(capped!.upperBound.cpuCores).toBe(0.3);
    expect(capped!.cappings).toEqual([{ resource: 'cpu', by: 'maxAllowed', limit: 0.3 }]);
  });

  it('the global --container-recommendation-max-allowed-cpu caps as before', () => {
    const [rec] = recommendContainers([usage('app', 0.5, 500 * Mi)], {
      ...VPA_DEFAULTS,
      containerRecommendationMaxAllowedCpu: 0.1,
    });
    expect(rec!.target.cpuCores).toBe(0.1);
    expect(rec!.uncappedTarget.cpuCores).toBeGreaterThan(0.5);
  });
});
