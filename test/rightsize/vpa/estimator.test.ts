/**
 * VPA's logic/estimator_test.go, logic/recommender_test.go and the aggregation tests of
 * model/aggregate_container_state_test.go (v1.8.1), same inputs and expected values.
 */
import { describe, expect, it } from 'vitest';
import { AggregateState } from '../../../src/rightsize/vpa/aggregate-state.js';
import { ContainerState } from '../../../src/rightsize/vpa/container-state.js';
import {
  confidence,
  constant,
  cpuPercentile,
  estimate,
  memoryPercentile,
  minimums,
  withConfidenceMultiplier,
  withMargin,
  withMinimum,
} from '../../../src/rightsize/vpa/estimator.js';
import { DecayingHistogram } from '../../../src/rightsize/vpa/histogram.js';
import {
  CPU_HISTOGRAM_OPTIONS,
  MEMORY_HISTOGRAM_OPTIONS,
} from '../../../src/rightsize/vpa/histogram-options.js';
import { VPA_DEFAULTS } from '../../../src/rightsize/vpa/params.js';
import { cpuAmountFromCores, memoryAmountFromBytes } from '../../../src/rightsize/vpa/resource-amount.js';

const DAY_MS = 86400_000;
const DAY_S = 86400;
const newAggregate = (): AggregateState => new AggregateState(DAY_MS, DAY_MS);

describe('estimators (estimator_test.go)', () => {
  it('TestPercentileEstimator', () => {
    const s = newAggregate();
    for (const cores of [1.0, 2.0, 3.0]) s.cpu.addSample(cores, 1.0);
    for (const bytes of [1e9, 2e9, 3e9]) s.memoryPeaks.addSample(bytes, 1.0);
    const cpu = cpuPercentile(0.2)(s) / 1000;
    const memory = memoryPercentile(0.5)(s);
    expect(Math.abs(cpu - 1.0) / 1.0).toBeLessThanOrEqual(0.05);
    expect(Math.abs(memory - 2e9) / 2e9).toBeLessThanOrEqual(0.05);
  });

  it('TestConfidenceMultiplier', () => {
    const baseCpu = constant(cpuAmountFromCores(3.14));
    const baseMemory = constant(memoryAmountFromBytes(3.14e9));
    const s = newAggregate();
    expect(withConfidenceMultiplier(1.0, 1.0, baseCpu, DAY_S)(s)).toBe(1e14);
    expect(withConfidenceMultiplier(1.0, -1.0, baseCpu, DAY_S)(s)).toBe(0);
    let timestamp = 0;
    for (let i = 1; i <= 9; i++) {
      s.addCpuSample(cpuAmountFromCores(1.0), timestamp);
      timestamp += 2 * 60_000;
    }
    expect(confidence(s, DAY_S)).toBe(0.00625);
    expect(withConfidenceMultiplier(0.1, 2.0, baseCpu, DAY_S)(s) / 1000).toBe(907.46);
    expect(withConfidenceMultiplier(0.1, 2.0, baseMemory, DAY_S)(s)).toBe(9.0746e11);
  });

  it('TestConfidenceMultiplierWithCustomInterval', () => {
    const interval = 18 * 60;
    const s = newAggregate();
    let timestamp = 0;
    for (let i = 1; i <= 9; i++) {
      s.addCpuSample(cpuAmountFromCores(1.0), timestamp);
      timestamp += 2 * 60_000;
    }
    expect(confidence(s, interval)).toBe(0.5);
    expect(withConfidenceMultiplier(0.1, 2.0, constant(cpuAmountFromCores(3.14)), interval)(s) / 1000).toBe(
      4.521,
    );
    expect(withConfidenceMultiplier(0.1, 2.0, constant(memoryAmountFromBytes(3.14e9)), interval)(s)).toBe(
      4.5216e9,
    );
  });

  it('TestConfidenceMultiplierNoHistory', () => {
    expect(
      withConfidenceMultiplier(0.1, 2.0, constant(cpuAmountFromCores(3.14)), DAY_S)(newAggregate()),
    ).toBe(1e14);
  });

  it('TestMarginEstimator', () => {
    const s = newAggregate();
    expect(withMargin(0.1, constant(cpuAmountFromCores(3.14)))(s) / 1000).toBe(3.454);
    expect(withMargin(0.1, constant(memoryAmountFromBytes(3.14e9)))(s)).toBe(3.454e9);
  });

  it('TestMinResourcesEstimator', () => {
    const s = newAggregate();
    expect(withMinimum(cpuAmountFromCores(0.2), constant(cpuAmountFromCores(3.14)))(s) / 1000).toBe(3.14);
    expect(withMinimum(memoryAmountFromBytes(2e7), constant(memoryAmountFromBytes(4e8)))(s)).toBe(4e8);
    expect(withMinimum(cpuAmountFromCores(0.2), constant(cpuAmountFromCores(0.1)))(s) / 1000).toBe(0.2);
  });
});

describe('pod recommender (recommender_test.go)', () => {
  it('TestMinResourcesApplied: 25 millicores and 250 MiB for a single container', () => {
    const min = minimums(VPA_DEFAULTS, 1);
    expect(min.millicores).toBe(cpuAmountFromCores(25 / 1000));
    expect(min.bytes).toBe(memoryAmountFromBytes(250 * 1024 * 1024));
    const result = estimate(newAggregate(), VPA_DEFAULTS, 1);
    expect(result.target).toEqual({ millicores: 25, bytes: 262144000 });
  });

  it('TestMinResourcesSplitAcrossContainers', () => {
    const min = minimums(VPA_DEFAULTS, 2);
    expect(min.millicores).toBe(cpuAmountFromCores(25 / 1000 / 2));
    expect(min.bytes).toBe(memoryAmountFromBytes((250 * 1024 * 1024) / 2));
    expect(min).toEqual({ millicores: 12, bytes: 131072000 });
  });

  it('rounding up with --round-cpu-millicores / --round-memory-bytes (the caps come after: policy.test.ts)', () => {
    const s = newAggregate();
    s.cpu.addSample(0.3, 1);
    s.memoryPeaks.addSample(3e8, 1);
    const plain = estimate(s, VPA_DEFAULTS, 1).target;
    const rounded = estimate(
      s,
      { ...VPA_DEFAULTS, roundCpuMillicores: 100, roundMemoryBytes: 1 << 20 },
      1,
    ).target;
    expect(rounded.millicores).toBe(Math.ceil(plain.millicores / 100) * 100);
    expect(rounded.bytes % (1 << 20)).toBe(0);
    expect(rounded.bytes - plain.bytes).toBeLessThan(1 << 20);
    // The global max-allowed flags are the capping post-processor's, not the estimator's.
    const uncapped = estimate(
      s,
      {
        ...VPA_DEFAULTS,
        containerRecommendationMaxAllowedCpu: 0.1,
        containerRecommendationMaxAllowedMemory: 1e8,
      },
      1,
    );
    expect(uncapped.target).toEqual(plain);
  });
});

describe('aggregation by container name (aggregate_container_state_test.go)', () => {
  const testTimestamp = Date.UTC(2017, 3, 18, 17, 35, 5);
  const settings = {
    oomBumpUpRatio: 1.2,
    oomMinBumpUpBytes: 100 * 1024 * 1024,
    memoryAggregationIntervalMs: DAY_MS,
  };

  it('TestAggregateStateByContainerName: pod-1 {A, B}, pod-2 {A, C}', () => {
    const samples: [string, number, number][] = [
      ['app-A', 1.0, 2e9],
      ['app-B', 5.0, 10e9],
      ['app-A', 3.0, 4e9],
      ['app-C', 5.0, 10e9],
    ];
    const perPod = samples.map(([name, cores, bytes]) => {
      const aggregate = newAggregate();
      const state = new ContainerState(aggregate, settings);
      expect(state.addCpuSample(testTimestamp, cpuAmountFromCores(cores))).toBe(true);
      expect(state.addMemorySample(testTimestamp, memoryAmountFromBytes(bytes))).toBe(true);
      return { name, aggregate };
    });
    const byName = new Map<string, AggregateState>();
    for (const { name, aggregate } of perPod) {
      const total = byName.get(name) ?? newAggregate();
      total.merge(aggregate);
      byName.set(name, total);
    }
    expect([...byName.keys()].sort()).toEqual(['app-A', 'app-B', 'app-C']);
    expect(byName.get('app-A')?.totalSamplesCount).toBe(2);
    expect(byName.get('app-B')?.totalSamplesCount).toBe(1);
    expect(byName.get('app-C')?.totalSamplesCount).toBe(1);

    const expectedCpu = new DecayingHistogram(CPU_HISTOGRAM_OPTIONS, DAY_MS);
    const a0 = newAggregate();
    a0.addCpuSample(1000, testTimestamp);
    const a2 = newAggregate();
    a2.addCpuSample(3000, testTimestamp);
    expectedCpu.mergeDecaying(a0.cpu);
    expectedCpu.mergeDecaying(a2.cpu);
    expect(byName.get('app-A')?.cpu.equals(expectedCpu)).toBe(true);

    const expectedMemory = new DecayingHistogram(MEMORY_HISTOGRAM_OPTIONS, DAY_MS);
    expectedMemory.addDecayedSample(2e9, 1.0, testTimestamp + DAY_MS);
    expectedMemory.addDecayedSample(4e9, 1.0, testTimestamp + DAY_MS);
    expect(byName.get('app-A')?.memoryPeaks.equals(expectedMemory)).toBe(true);
    expect(byName.get('app-B')?.memoryPeaks.equals(expectedMemory)).toBe(false);
  });

  it('TestAggregateContainerStateIsExpired (and with a custom interval count)', () => {
    const cs = newAggregate();
    cs.addCpuSample(1000, testTimestamp);
    expect(cs.isExpired(testTimestamp + 7 * DAY_MS, 8 * DAY_MS)).toBe(false);
    expect(cs.isExpired(testTimestamp + 8 * DAY_MS, 8 * DAY_MS)).toBe(true);
    expect(cs.isExpired(testTimestamp + 4 * DAY_MS - 3600_000, 4 * DAY_MS)).toBe(false);
    expect(cs.isExpired(testTimestamp + 4 * DAY_MS, 4 * DAY_MS)).toBe(true);
  });
});
