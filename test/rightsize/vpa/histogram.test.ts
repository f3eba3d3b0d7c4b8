/**
 * VPA's own histogram tests (util/histogram_test.go, decaying_histogram_test.go,
 * histogram_options_test.go of v1.8.1), same inputs and expected values. The checkpoint tests are
 * left out: kubeha never writes VPA checkpoints.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DecayingHistogram,
  Histogram,
  roundToMultipleSinceZeroTime,
  GO_ZERO_TIME_MS,
} from '../../../src/rightsize/vpa/histogram.js';
import {
  CPU_HISTOGRAM_OPTIONS,
  MEMORY_HISTOGRAM_OPTIONS,
  cpuBucketOfMillicores,
  exponentialHistogramOptions,
  linearHistogramOptions,
} from '../../../src/rightsize/vpa/histogram-options.js';

const valueEpsilon = 1e-15;
const weightEpsilon = 1e-15;
const testOptions = linearHistogramOptions(10.0, 1.0, weightEpsilon);
const HOUR = 3600_000;
const startTime = 1234567890_000;

function inEpsilon(actual: number, expected: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(valueEpsilon);
}

describe('histogram (histogram_test.go)', () => {
  it('TestPercentilesEmptyHistogram', () => {
    const h = new Histogram(testOptions);
    for (let p = -0.5; p <= 1.5; p += 0.5) expect(h.percentile(p)).toBe(0);
  });

  it('TestPercentiles: the end of the bucket', () => {
    const h = new Histogram(testOptions);
    for (let i = 1; i <= 4; i++) h.addSample(i, i);
    const expected: [number, number][] = [
      [0.0, 2],
      [0.1, 2],
      [0.2, 3],
      [0.3, 3],
      [0.4, 4],
      [0.5, 4],
      [0.6, 4],
      [0.7, 5],
      [0.8, 5],
      [0.9, 5],
      [1.0, 5],
    ];
    for (const [p, value] of expected) inEpsilon(h.percentile(p), value);
  });

  it('TestPercentileOutOfBounds', () => {
    const h = new Histogram(linearHistogramOptions(1.0, 0.1, weightEpsilon));
    h.addSample(0.1, 0.1);
    h.addSample(0.2, 0.2);
    inEpsilon(h.percentile(-0.1), 0.2);
    inEpsilon(h.percentile(1.1), 0.3);
    h.addSample(0.0, 0.1);
    h.addSample(1.0, 0.2);
    inEpsilon(h.percentile(-0.1), 0.1);
    inEpsilon(h.percentile(1.1), 1.0);
  });

  it('TestEmptyHistogram: a bucket below epsilon is empty', () => {
    const h = new Histogram(linearHistogramOptions(1.0, 0.1, weightEpsilon));
    expect(h.isEmpty()).toBe(true);
    h.addSample(0.1, weightEpsilon * 2.5);
    expect(h.isEmpty()).toBe(false);
    h.subtractSample(0.1, weightEpsilon);
    expect(h.isEmpty()).toBe(false);
    h.subtractSample(0.1, weightEpsilon);
    expect(h.isEmpty()).toBe(true);
  });

  it('TestNonEmptyOnEpsilonAddition', () => {
    const h = new Histogram(linearHistogramOptions(1.0, 0.1, weightEpsilon));
    expect(h.isEmpty()).toBe(true);
    h.addSample(9.9, weightEpsilon * 3);
    expect(h.isEmpty()).toBe(false);
    h.addSample(0.1, weightEpsilon * 0.3);
    expect(h.isEmpty()).toBe(false);
    h.addSample(999.9, weightEpsilon * 0.3);
    expect(h.isEmpty()).toBe(false);
  });

  it('TestHistogramMerge', () => {
    const h1 = new Histogram(testOptions);
    h1.addSample(1, 1);
    h1.addSample(2, 1);
    const h2 = new Histogram(testOptions);
    h2.addSample(2, 1);
    h2.addSample(3, 1);
    const expected = new Histogram(testOptions);
    for (const v of [1, 2, 2, 3]) expected.addSample(v, 1);
    h1.merge(h2);
    expect(h1.equals(expected)).toBe(true);
    h1.addSample(4, 1);
    expect(h1.equals(expected)).toBe(false);
  });
});

describe('decaying histogram (decaying_histogram_test.go)', () => {
  it('TestPercentilesEmptyDecayingHistogram', () => {
    const h = new DecayingHistogram(testOptions, HOUR);
    for (let p = -0.5; p <= 1.5; p += 0.5) expect(h.percentile(p)).toBe(0);
  });

  it('TestSimpleDecay: 20 half-lives make 1000 weigh less than 1', () => {
    const h = new DecayingHistogram(testOptions, HOUR);
    h.addDecayedSample(2, 1000, startTime);
    h.addDecayedSample(1, 1, startTime + 20 * HOUR);
    inEpsilon(h.percentile(0.999), 2);
    inEpsilon(h.percentile(1.0), 3);
  });

  it('TestLongtermDecay: past 100 half-lives the reference moves and old weights vanish', () => {
    const h = new DecayingHistogram(testOptions, HOUR);
    h.addDecayedSample(2, 1, startTime);
    h.addDecayedSample(1, 1, startTime + 101 * HOUR);
    inEpsilon(h.percentile(1.0), 2);
  });

  it('TestDecayingHistogramPercentiles', () => {
    const h = new DecayingHistogram(testOptions, HOUR);
    let timestamp = startTime;
    for (let i = 1; i <= 4; i++) {
      h.addDecayedSample(i, i, timestamp);
      timestamp += HOUR;
    }
    const expected: [number, number][] = [
      [0.0, 2],
      [0.02, 2],
      [0.03, 3],
      [0.1, 3],
      [0.11, 4],
      [0.34, 4],
      [0.35, 5],
      [1.0, 5],
    ];
    for (const [p, value] of expected) inEpsilon(h.percentile(p), value);
  });

  it('TestNoDecay', () => {
    const h = new DecayingHistogram(testOptions, HOUR);
    for (let i = 1; i <= 4; i++) h.addDecayedSample(i, i, startTime);
    const expected: [number, number][] = [
      [0.0, 2],
      [0.2, 3],
      [0.1, 2],
      [0.3, 3],
      [0.4, 4],
      [0.5, 4],
      [0.6, 4],
      [0.7, 5],
      [0.8, 5],
      [0.9, 5],
      [1.0, 5],
    ];
    for (const [p, value] of expected) inEpsilon(h.percentile(p), value);
  });

  it('TestDecayingHistogramMerge', () => {
    const h1 = new DecayingHistogram(testOptions, HOUR);
    h1.addDecayedSample(1, 1, startTime);
    h1.addDecayedSample(2, 1, startTime + HOUR);
    const h2 = new DecayingHistogram(testOptions, HOUR);
    h2.addDecayedSample(2, 1, startTime + 2 * HOUR);
    h2.addDecayedSample(3, 1, startTime + HOUR);
    const expected = new DecayingHistogram(testOptions, HOUR);
    expected.addDecayedSample(2, 1, startTime + 2 * HOUR);
    expected.addDecayedSample(2, 1, startTime + HOUR);
    expected.addDecayedSample(3, 1, startTime + HOUR);
    expected.addDecayedSample(1, 1, startTime);
    h1.mergeDecaying(h2);
    expect(h1.equals(expected)).toBe(true);
    expect(h1.referenceTimestampMs).toBe(expected.referenceTimestampMs);
  });

  it('the reference time is a whole number of half-lives since Go zero time, halves rounding up', () => {
    expect(roundToMultipleSinceZeroTime(startTime, HOUR)).toBe(1234566000_000 + HOUR);
    expect(roundToMultipleSinceZeroTime(1700000000_000, 24 * HOUR)).toBe(1700006400_000);
    expect(roundToMultipleSinceZeroTime(86400_000 / 2, 24 * HOUR)).toBe(86400_000);
    const h = new DecayingHistogram(testOptions, 24 * HOUR);
    expect(h.referenceTimestampMs).toBe(GO_ZERO_TIME_MS);
    h.addDecayedSample(1, 1, 1700000000_000);
    expect(h.referenceTimestampMs).toBe(1700006400_000);
  });
});

describe('histogram options (histogram_options_test.go)', () => {
  it('TestLinearHistogramOptions', () => {
    const o = linearHistogramOptions(5.0, 0.3, 0.001);
    expect(o.epsilon).toBe(0.001);
    expect(o.numBuckets).toBe(18);
    expect(o.bucketStart(0)).toBe(0);
    expect(o.bucketStart(17)).toBe(5.1);
    expect(o.findBucket(-1.0)).toBe(0);
    expect(o.findBucket(0.0)).toBe(0);
    expect(o.findBucket(1.3)).toBe(4);
    expect(o.findBucket(100.0)).toBe(17);
  });

  it('TestExponentialHistogramOptions', () => {
    const o = exponentialHistogramOptions(500.0, 40.0, 1.5, 0.001);
    expect(o.epsilon).toBe(0.001);
    expect(o.numBuckets).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((b) => o.bucketStart(b))).toEqual([0, 40, 100, 190, 325, 527.5]);
    expect(o.findBucket(-1.0)).toBe(0);
    expect(o.findBucket(39.99)).toBe(0);
    expect(o.findBucket(40.0)).toBe(1);
    expect(o.findBucket(100.0)).toBe(2);
    expect(o.findBucket(900.0)).toBe(5);
  });

  it("VPA's CPU and memory bucketing: 0.01 core / 10 MB first, 5% growth, 1000 cores / 1 TB", () => {
    expect(CPU_HISTOGRAM_OPTIONS.numBuckets).toBe(176);
    expect(MEMORY_HISTOGRAM_OPTIONS.numBuckets).toBe(176);
    expect(CPU_HISTOGRAM_OPTIONS.bucketStart(1)).toBe(0.01);
    expect(MEMORY_HISTOGRAM_OPTIONS.bucketStart(1)).toBe(1e7);
    expect(CPU_HISTOGRAM_OPTIONS.epsilon).toBe(1e-4);
    expect(CPU_HISTOGRAM_OPTIONS.findBucket(0.0099)).toBe(0);
    expect(CPU_HISTOGRAM_OPTIONS.findBucket(0.01)).toBe(1);
    expect(CPU_HISTOGRAM_OPTIONS.findBucket(1e9)).toBe(175);
  });

  it("bit for bit what Go computes (golden/buckets.json, from VPA's options with Go's math.Log and math.Pow)", () => {
    const golden = JSON.parse(readFileSync(new URL('./golden/buckets.json', import.meta.url), 'utf8')) as {
      cpuStarts: number[];
      memoryStarts: number[];
      cpuFirstMillicore: number[];
      memoryProbes: [number, number][];
    };
    expect(Array.from({ length: 176 }, (_, b) => CPU_HISTOGRAM_OPTIONS.bucketStart(b))).toEqual(
      golden.cpuStarts,
    );
    expect(Array.from({ length: 176 }, (_, b) => MEMORY_HISTOGRAM_OPTIONS.bucketStart(b))).toEqual(
      golden.memoryStarts,
    );
    const firsts: number[] = [];
    let last = -1;
    for (let m = 0; m <= 1_000_000; m++) {
      const bucket = cpuBucketOfMillicores(m);
      if (bucket !== last) firsts.push(m);
      last = bucket;
    }
    expect(firsts).toEqual(golden.cpuFirstMillicore);
    expect(golden.memoryProbes.length).toBeGreaterThan(1000);
    for (const [bytes, bucket] of golden.memoryProbes)
      expect(MEMORY_HISTOGRAM_OPTIONS.findBucket(bytes)).toBe(bucket);
  });

  it('the millicore table agrees with findBucket', () => {
    for (const m of [0, 1, 9, 10, 11, 20, 21, 100, 999, 1000, 12345, 999_999, 1_000_000, 2_000_000]) {
      expect(cpuBucketOfMillicores(m)).toBe(CPU_HISTOGRAM_OPTIONS.findBucket(m / 1000));
    }
  });
});
