/**
 * VPA's model/container_test.go (v1.8.1), same inputs and expectations: its mock histograms become
 * an aggregator that records every call, and each test compares the calls with the Go test's
 * expectations (mock.On). Samples enter as ResourceAmounts (millicores, bytes), as in Go.
 */
import { describe, expect, it } from 'vitest';
import { ContainerState, type SampleAggregator } from '../../../src/rightsize/vpa/container-state.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MB = 1024 * 1024;
const testTimestamp = Date.UTC(2017, 3, 18, 17, 35, 5);

type Call = readonly [string, number, number];

class RecordingAggregator implements SampleAggregator {
  readonly calls: Call[] = [];
  addCpuSample(millicores: number, timeMs: number): void {
    this.calls.push(['cpu.AddSample', millicores / 1000, timeMs]);
  }
  addMemoryPeak(bytes: number, windowEndMs: number): void {
    this.calls.push(['memory.AddSample', bytes, windowEndMs]);
  }
  subtractMemoryPeak(bytes: number, windowEndMs: number): void {
    this.calls.push(['memory.SubtractSample', bytes, windowEndMs]);
  }
  countOom(): void {}
}

function newContainerTest(interval = DAY): { c: ContainerState; calls: Call[] } {
  const aggregator = new RecordingAggregator();
  const c = new ContainerState(aggregator, {
    oomBumpUpRatio: 1.2,
    oomMinBumpUpBytes: 1.048576e8,
    memoryAggregationIntervalMs: interval,
  });
  return { c, calls: aggregator.calls };
}

describe('container state (container_test.go)', () => {
  it('TestAggregateContainerUsageSamples: CPU as is, memory as one peak per window at its end', () => {
    const { c, calls } = newContainerTest();
    const timeStep = DAY / 2;
    expect(c.addCpuSample(testTimestamp, 3140)).toBe(true);
    expect(c.addMemorySample(testTimestamp, 5)).toBe(true);
    expect(c.addCpuSample(testTimestamp + timeStep, 6280)).toBe(true);
    expect(c.addMemorySample(testTimestamp + timeStep, 10)).toBe(true);
    expect(c.addCpuSample(testTimestamp + 2 * timeStep, 1570)).toBe(true);
    expect(c.addMemorySample(testTimestamp + 2 * timeStep, 2)).toBe(true);
    expect(c.addCpuSample(testTimestamp + 2 * timeStep, 1000)).toBe(false); // out of order
    expect(c.addCpuSample(testTimestamp + 4 * timeStep, -1000)).toBe(false); // negative CPU
    expect(c.addMemorySample(testTimestamp + 4 * timeStep, -1000)).toBe(false); // negative memory
    const windowEnd = testTimestamp + DAY;
    expect(calls).toEqual([
      ['cpu.AddSample', 3.14, testTimestamp],
      ['memory.AddSample', 5, windowEnd],
      ['cpu.AddSample', 6.28, testTimestamp + timeStep],
      ['memory.SubtractSample', 5, windowEnd],
      ['memory.AddSample', 10, windowEnd],
      ['cpu.AddSample', 1.57, testTimestamp + 2 * timeStep],
      ['memory.AddSample', 2, windowEnd + DAY],
    ]);
  });

  it('TestRecordOOMIncreasedByBumpUp: 1000 MiB request → 1200 MiB', () => {
    const { c, calls } = newContainerTest();
    expect(c.recordOom(testTimestamp, 1000 * MB)).toBe(true);
    expect(calls).toEqual([['memory.AddSample', 1200 * MB, testTimestamp + DAY]]);
  });

  it('TestRecordOOMDontRunAway: a second OOM bumps from the request, not from the last OOM', () => {
    const { c, calls } = newContainerTest();
    expect(c.recordOom(testTimestamp, 1000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp, 999 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp, 999 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp, 2000 * MB)).toBe(true);
    const windowEnd = testTimestamp + DAY;
    expect(calls).toEqual([
      ['memory.AddSample', 1200 * MB, windowEnd],
      ['memory.SubtractSample', 1200 * MB, windowEnd],
      ['memory.AddSample', 2400 * MB, windowEnd],
    ]);
  });

  it('TestRecordOOMIncreasedByMin: at least 100 MiB more', () => {
    const { c, calls } = newContainerTest();
    expect(c.recordOom(testTimestamp, 1 * MB)).toBe(true);
    expect(calls).toEqual([['memory.AddSample', 101 * MB, testTimestamp + DAY]]);
  });

  it('TestRecordOOMMaxedWithKnownSample: the usage peak counts when above the request', () => {
    const { c, calls } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 3000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp, 1000 * MB)).toBe(true);
    const windowEnd = testTimestamp + DAY;
    expect(calls).toEqual([
      ['memory.AddSample', 3000 * MB, windowEnd],
      ['memory.SubtractSample', 3000 * MB, windowEnd],
      ['memory.AddSample', 3600 * MB, windowEnd],
    ]);
  });

  it('TestRecordOOMDiscardsOldSample', () => {
    const { c, calls } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 1000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp - 30 * HOUR, 1000 * MB)).toBe(false);
    expect(calls).toEqual([['memory.AddSample', 1000 * MB, testTimestamp + DAY]]);
  });

  it('TestRecordOOMInNewWindow', () => {
    const { c, calls } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 2000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp + 2 * DAY, 1000 * MB)).toBe(true);
    expect(calls).toEqual([
      ['memory.AddSample', 2000 * MB, testTimestamp + DAY],
      ['memory.AddSample', 2400 * MB, testTimestamp + 3 * DAY],
    ]);
  });

  it('TestRecordOOMFreshOOMNearWindowBoundaryIsNotDiscarded', () => {
    const { c, calls } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 100 * MB)).toBe(true);
    const boundary = testTimestamp + DAY;
    const windowEnd = testTimestamp + 2 * DAY;
    expect(c.addMemorySample(boundary, 2000 * MB)).toBe(true);
    expect(c.recordOom(boundary - 1000, 1000 * MB)).toBe(true);
    expect(calls).toEqual([
      ['memory.AddSample', 100 * MB, boundary],
      ['memory.AddSample', 2000 * MB, windowEnd],
      ['memory.SubtractSample', 2000 * MB, windowEnd],
      ['memory.AddSample', 2400 * MB, windowEnd],
    ]);
  });

  it('TestMemorySamplesWithCustomAggregationInterval', () => {
    const { c, calls } = newContainerTest(HOUR);
    expect(c.addMemorySample(testTimestamp, 5)).toBe(true);
    expect(c.addMemorySample(testTimestamp + 2 * HOUR, 10)).toBe(true);
    expect(calls).toEqual([
      ['memory.AddSample', 5, testTimestamp + HOUR],
      ['memory.AddSample', 10, testTimestamp + 3 * HOUR],
    ]);
  });

  it('TestMemoryPeakUpdateWithinCustomInterval', () => {
    const { c, calls } = newContainerTest(HOUR);
    expect(c.addMemorySample(testTimestamp, 5)).toBe(true);
    expect(c.addMemorySample(testTimestamp + 30 * 60_000, 10)).toBe(true);
    expect(calls).toEqual([
      ['memory.AddSample', 5, testTimestamp + HOUR],
      ['memory.SubtractSample', 5, testTimestamp + HOUR],
      ['memory.AddSample', 10, testTimestamp + HOUR],
    ]);
  });

  it('TestRecordOOMDiscardsOldSampleWithCustomInterval', () => {
    const { c, calls } = newContainerTest(HOUR);
    expect(c.addMemorySample(testTimestamp, 1000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp - 2 * HOUR, 1000 * MB)).toBe(false);
    expect(calls).toEqual([['memory.AddSample', 1000 * MB, testTimestamp + HOUR]]);
  });

  it('TestRecordOOMInNewWindowWithCustomInterval', () => {
    const { c, calls } = newContainerTest(HOUR);
    expect(c.addMemorySample(testTimestamp, 2000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp + 2 * HOUR, 1000 * MB)).toBe(true);
    expect(calls).toEqual([
      ['memory.AddSample', 2000 * MB, testTimestamp + HOUR],
      ['memory.AddSample', 2400 * MB, testTimestamp + 3 * HOUR],
    ]);
  });

  it('TestRecordOOMDiscardsOldSampleWithCustomIntervalCount (the count does not change the OOM rule)', () => {
    const { c } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 1000 * MB)).toBe(true);
    expect(c.recordOom(testTimestamp - 3 * DAY, 1000 * MB)).toBe(false);
  });

  it('a window whose first peak is 0 keeps it (VPA checks oldMax != 0)', () => {
    const { c, calls } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 0)).toBe(true);
    expect(c.addMemorySample(testTimestamp + HOUR, 500 * MB)).toBe(true);
    expect(calls).toEqual([['memory.AddSample', 0, testTimestamp + DAY]]);
  });

  it('memory samples at the same time are kept, earlier ones are not; CPU needs a later time', () => {
    const { c } = newContainerTest();
    expect(c.addMemorySample(testTimestamp, 5)).toBe(true);
    expect(c.addMemorySample(testTimestamp, 6)).toBe(true);
    expect(c.addMemorySample(testTimestamp - 1, 7)).toBe(false);
    expect(c.addCpuSample(testTimestamp, 5)).toBe(true);
    expect(c.addCpuSample(testTimestamp, 6)).toBe(false);
  });
});
