/**
 * recommendContainers: how a workload's history becomes VPA's recommendation per container name,
 * and properties that hold for any history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerUsage, UsageSample } from '../../../src/model/usage.js';
import { recommendContainers, VPA_DEFAULTS } from '../../../src/rightsize/vpa/index.js';

const START = 1764547200; // 2025-12-01T00:00:00Z
const HOUR = 3600;
const MIB = 1024 * 1024;

function series(values: readonly number[], step = HOUR, start = START): UsageSample[] {
  return values.map((value, i) => ({ time: start + i * step, value }));
}

function container(
  pod: string,
  name: string,
  cpu: readonly number[],
  memory: readonly number[],
): ContainerUsage {
  return { pod, container: name, cpu: series(cpu), memory: series(memory), ooms: [] };
}

const steady = (n: number, value: number): number[] => Array.from({ length: n }, () => value);

describe('recommendContainers', () => {
  it('a steady container: the bucket end above its usage plus 15%, bounds around it', () => {
    const [rec] = recommendContainers([container('p', 'app', steady(192, 0.5), steady(192, 300e6))]);
    expect(rec?.container).toBe('app');
    // 0.5 cores falls in the bucket [0.4772, 0.5111): target = 511 + trunc(511 × 0.15) millicores.
    expect(rec?.target.cpuCores).toBe(0.587);
    expect(rec?.lowerBound.cpuCores).toBeLessThanOrEqual(0.587);
    expect(rec?.upperBound.cpuCores).toBeGreaterThan(0.587);
    expect(rec?.target.memoryBytes).toBeGreaterThan(300e6 * 1.15);
    expect(rec?.target.memoryBytes).toBeLessThan(300e6 * 1.05 * 1.15);
    expect(rec?.cpuSamples).toBe(192);
    // 192 samples an hour apart: 8 days long, but 192/1440 "days" of one-a-minute samples.
    expect(rec?.confidence).toBeCloseTo(192 / 1440, 12);
    expect(rec?.firstSample).toBe(START);
    expect(rec?.lastSample).toBe(START + 191 * HOUR);
    expect(rec?.memoryPeaks).toBe(8);
  });

  it('merges a container name across pods, and splits the pod minimum over every name', () => {
    const recs = recommendContainers([
      container('a', 'app', steady(10, 0.001), steady(10, 1e6)),
      container('b', 'app', steady(10, 0.001), steady(10, 1e6)),
      { pod: 'a', container: 'sidecar', cpu: [], memory: [], ooms: [] },
    ]);
    expect(recs.map((r) => r.container)).toEqual(['app']); // no history, no number
    expect(recs[0]?.cpuSamples).toBe(20);
    expect(recs[0]?.memoryPeaks).toBe(2);
    // The minimum (25m, 250 MiB per pod) split over 2 names: 12m and 125 MiB.
    expect(recs[0]?.target).toEqual({ cpuCores: 0.012, memoryBytes: 125 * MIB });
    const alone = recommendContainers([container('a', 'app', steady(10, 0.001), steady(10, 1e6))]);
    expect(alone[0]?.target).toEqual({ cpuCores: 0.025, memoryBytes: 250 * MIB });
  });

  it('no valid sample, no recommendation: empty, NaN-only', () => {
    expect(recommendContainers([])).toEqual([]);
    expect(recommendContainers([{ pod: 'p', container: 'c', cpu: [], memory: [], ooms: [] }])).toEqual([]);
    expect(recommendContainers([container('p', 'c', steady(5, NaN), [])])).toEqual([]);
  });

  it('memory without CPU: memory recommended, CPU at the minimum, confidence 0 (as VPA)', () => {
    const [rec] = recommendContainers([container('p', 'c', [], steady(48, 200e6))]);
    expect(rec?.target.cpuCores).toBe(0.025);
    expect(rec?.cpuSamples).toBe(0);
    expect(rec?.confidence).toBe(0);
    expect(rec?.firstSample).toBeUndefined();
    expect(rec?.upperBound.memoryBytes).toBe(1e14);
    expect(rec?.target.memoryBytes).toBeGreaterThan(200e6);
  });

  it('an OOM kill raises memory to 1.2 × the request at least', () => {
    const base = container('p', 'app', steady(48, 0.2), steady(48, 100e6));
    const withoutOom = recommendContainers([base])[0];
    const oomed = recommendContainers([
      { ...base, ooms: [{ time: START + 47 * HOUR + 1, memoryBytes: 512 * MIB }] },
    ])[0];
    expect(oomed?.oomKills).toBe(1);
    expect(withoutOom?.oomKills).toBe(0);
    expect(oomed?.upperBound.memoryBytes).toBeGreaterThanOrEqual(Math.trunc(512 * MIB * 1.2 * 1.15));
    expect(oomed?.target.memoryBytes).toBeGreaterThan(withoutOom?.target.memoryBytes ?? Infinity);
  });

  it('the same (pod, container) given twice is one history, sorted, duplicates dropped as VPA does', () => {
    const whole = container('p', 'app', steady(20, 0.3), steady(20, 50e6));
    const first = { ...whole, cpu: whole.cpu.slice(10), memory: whole.memory.slice(10) };
    const second = { ...whole, cpu: whole.cpu.slice(0, 11), memory: whole.memory.slice(0, 11) };
    const split = recommendContainers([first, second])[0];
    expect(split?.cpuSamples).toBe(20);
    expect(split?.target).toEqual(recommendContainers([whole])[0]?.target);
  });

  it('parameters: no margin gives the bucket end itself; now drops pods idle for 8 days', () => {
    const usage = [container('p', 'app', steady(48, 0.5), steady(48, 300e6))];
    expect(recommendContainers(usage, { recommendationMarginFraction: 0 })[0]?.target.cpuCores).toBe(0.511);
    const lastSample = START + 47 * HOUR;
    expect(recommendContainers(usage, { now: lastSample + 8 * 86400 - 1 })).toHaveLength(1);
    expect(recommendContainers(usage, { now: lastSample + 8 * 86400 })).toHaveLength(0);
  });

  it('defaults are VPA v1.8.1 flags', () => {
    expect(VPA_DEFAULTS.targetCpuPercentile).toBe(0.9);
    expect(VPA_DEFAULTS.recommendationMarginFraction).toBe(0.15);
    expect(VPA_DEFAULTS.podRecommendationMinMemoryMb).toBe(250);
    expect(VPA_DEFAULTS.oomMinBumpUpBytes).toBe(104857600);
    expect(VPA_DEFAULTS.historyLength).toBe(8 * 86400);
  });
});

const cpuValues = fc.array(fc.double({ min: 1, max: 50, noNaN: true }), { minLength: 5, maxLength: 200 });

describe('properties', () => {
  it('scaling every CPU sample by f scales the target by f, within the bucket precision', () => {
    fc.assert(
      fc.property(cpuValues, fc.double({ min: 1, max: 10, noNaN: true }), (values, f) => {
        const base = recommendContainers([container('p', 'c', values, [])])[0]?.target.cpuCores ?? NaN;
        const scaled =
          recommendContainers([
            container(
              'p',
              'c',
              values.map((v) => v * f),
              [],
            ),
          ])[0]?.target.cpuCores ?? NaN;
        // Above 1 core a bucket is at most 6.2% wide; a millicore of truncation on top.
        const ratio = scaled / base;
        return ratio >= f / 1.07 && ratio <= f * 1.07;
      }),
      { numRuns: 60 },
    );
  });

  it('more usage never lowers the recommendation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (values, f) => {
          const memory = values.map((v) => v * 1e8);
          const before = recommendContainers([container('p', 'c', values, memory)])[0];
          const after = recommendContainers([
            container(
              'p',
              'c',
              values.map((v) => v * f),
              memory.map((v) => v * f),
            ),
          ])[0];
          return (
            (after?.target.cpuCores ?? 0) >= (before?.target.cpuCores ?? Infinity) &&
            (after?.target.memoryBytes ?? 0) >= (before?.target.memoryBytes ?? Infinity)
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lower bound ≤ target ≤ upper bound, all at least the minimum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.array(fc.double({ min: 0, max: 1e10, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 60, max: 86400 }),
        (cpu, memory, step) => {
          const usage = {
            pod: 'p',
            container: 'c',
            cpu: series(cpu, step),
            memory: series(memory, step),
            ooms: [],
          };
          const [rec] = recommendContainers([usage]);
          if (rec === undefined) return false;
          return (
            rec.lowerBound.cpuCores! <= rec.target.cpuCores! &&
            rec.target.cpuCores! <= rec.upperBound.cpuCores! &&
            rec.lowerBound.memoryBytes! <= rec.target.memoryBytes! &&
            rec.target.memoryBytes! <= rec.upperBound.memoryBytes! &&
            rec.lowerBound.cpuCores! >= 0.025 &&
            rec.lowerBound.memoryBytes! >= 250 * MIB
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a constant CPU series: target within [1.15 v, 1.15 × (1.05 v + 0.01)] (one bucket)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (millicores) => {
        const v = millicores / 1000;
        const target =
          recommendContainers([container('p', 'c', steady(24, v), [])])[0]?.target.cpuCores ?? NaN;
        const low = Math.max(0.025, 1.15 * v - 0.002);
        const high = Math.max(0.025, 1.15 * (1.05 * v + 0.01)) + 0.001;
        return target >= low && target <= high;
      }),
      { numRuns: 200 },
    );
  });

  it('any input, however odd (NaN, ±Infinity, negative, unsorted, repeated times), gives finite non-negative numbers or none', () => {
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1e300),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
    );
    const sample = fc.record({
      time: fc.integer({ min: START - 40 * 86400, max: START + 40 * 86400 }),
      value,
    });
    const usage = fc.record({
      pod: fc.constantFrom('a', 'b'),
      container: fc.constantFrom('x', 'y', 'z'),
      cpu: fc.array(sample, { maxLength: 40 }),
      memory: fc.array(sample, { maxLength: 40 }),
      ooms: fc.array(
        fc.record({
          time: fc.integer({ min: START - 86400, max: START + 86400 }),
          memoryBytes: fc.nat(2 ** 40),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(usage, { maxLength: 6 }), (input) => {
        for (const rec of recommendContainers(input)) {
          for (const r of [rec.target, rec.lowerBound, rec.upperBound]) {
            if (!Number.isFinite(r.cpuCores) || r.cpuCores! < 0) return false;
            if (!Number.isFinite(r.memoryBytes) || r.memoryBytes! < 0) return false;
          }
          if (!Number.isFinite(rec.confidence) || rec.confidence < 0) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
