/**
 * VPA's AggregateContainerState (model/aggregate_container_state.go): the CPU distribution, the
 * distribution of memory peaks, and what the confidence is computed from (CPU samples only).
 */
import { DecayingHistogram, GO_ZERO_TIME_MS } from './histogram.js';
import {
  CPU_HISTOGRAM_OPTIONS,
  MEMORY_HISTOGRAM_OPTIONS,
  MIN_SAMPLE_WEIGHT,
  cpuBucketOfMillicores,
} from './histogram-options.js';
import type { SampleAggregator } from './container-state.js';
import { coresFromCpuAmount } from './resource-amount.js';

export class AggregateState implements SampleAggregator {
  readonly cpu: DecayingHistogram;
  readonly memoryPeaks: DecayingHistogram;
  /** Go's zero time (GO_ZERO_TIME_MS) until the first CPU sample. */
  firstSampleStartMs = GO_ZERO_TIME_MS;
  lastSampleStartMs = GO_ZERO_TIME_MS;
  totalSamplesCount = 0;
  /** Not in VPA: how many memory peaks (one per container and interval) went in, for the report. */
  memoryPeakCount = 0;
  /** Not in VPA: OOM kills accepted, for the report. */
  oomCount = 0;

  constructor(cpuHalfLifeMs: number, memoryHalfLifeMs: number) {
    this.cpu = new DecayingHistogram(CPU_HISTOGRAM_OPTIONS, cpuHalfLifeMs);
    this.memoryPeaks = new DecayingHistogram(MEMORY_HISTOGRAM_OPTIONS, memoryHalfLifeMs);
  }

  /** Every CPU sample weighs minSampleWeight (v1.8.1 no longer weighs by the request). */
  addCpuSample(millicores: number, timeMs: number): void {
    const bucket =
      Number.isInteger(millicores) && millicores >= 0
        ? cpuBucketOfMillicores(millicores)
        : CPU_HISTOGRAM_OPTIONS.findBucket(coresFromCpuAmount(millicores));
    this.cpu.addDecayedToBucket(bucket, MIN_SAMPLE_WEIGHT, timeMs);
    if (timeMs > this.lastSampleStartMs) this.lastSampleStartMs = timeMs;
    if (this.firstSampleStartMs === GO_ZERO_TIME_MS || timeMs < this.firstSampleStartMs) {
      this.firstSampleStartMs = timeMs;
    }
    this.totalSamplesCount++;
  }

  addMemoryPeak(bytes: number, windowEndMs: number): void {
    this.memoryPeaks.addDecayedToBucket(this.memoryBucket(bytes), 1.0, windowEndMs);
    this.memoryPeakCount++;
  }

  subtractMemoryPeak(bytes: number, windowEndMs: number): void {
    this.memoryPeaks.subtractDecayedFromBucket(this.memoryBucket(bytes), 1.0, windowEndMs);
    this.memoryPeakCount--;
  }

  /** The peak subtracted is the one added last: its bucket is remembered, not searched again. */
  private lastPeakBytes = NaN;
  private lastPeakBucket = 0;
  private memoryBucket(bytes: number): number {
    if (bytes !== this.lastPeakBytes) {
      this.lastPeakBytes = bytes;
      this.lastPeakBucket = MEMORY_HISTOGRAM_OPTIONS.findBucket(bytes);
    }
    return this.lastPeakBucket;
  }

  countOom(): void {
    this.oomCount++;
  }

  merge(other: AggregateState): void {
    this.cpu.mergeDecaying(other.cpu);
    this.memoryPeaks.mergeDecaying(other.memoryPeaks);
    if (
      this.firstSampleStartMs === GO_ZERO_TIME_MS ||
      (other.firstSampleStartMs !== GO_ZERO_TIME_MS && other.firstSampleStartMs < this.firstSampleStartMs)
    ) {
      this.firstSampleStartMs = other.firstSampleStartMs;
    }
    if (other.lastSampleStartMs > this.lastSampleStartMs) this.lastSampleStartMs = other.lastSampleStartMs;
    this.totalSamplesCount += other.totalSamplesCount;
    this.memoryPeakCount += other.memoryPeakCount;
    this.oomCount += other.oomCount;
  }

  /** isExpired: VPA drops an aggregate whose last CPU sample is a whole memory window old. */
  isExpired(nowMs: number, windowLengthMs: number): boolean {
    if (this.totalSamplesCount === 0) return false;
    return nowMs - this.lastSampleStartMs >= windowLengthMs;
  }
}
