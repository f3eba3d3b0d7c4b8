/**
 * VPA's ContainerState (model/container.go): which samples are kept, and memory turned into one
 * peak per aggregation interval, with OOM kills as artificial peaks.
 */
import { GO_ZERO_TIME_MS } from './histogram.js';
import { memoryAmountFromBytes, scaleResource } from './resource-amount.js';

/** Where a container's samples go: VPA's ContainerStateAggregator, as far as samples go. */
export interface SampleAggregator {
  addCpuSample(millicores: number, timeMs: number): void;
  addMemoryPeak(bytes: number, windowEndMs: number): void;
  subtractMemoryPeak(bytes: number, windowEndMs: number): void;
  countOom(): void;
}

export interface OomSettings {
  readonly oomBumpUpRatio: number;
  readonly oomMinBumpUpBytes: number;
  readonly memoryAggregationIntervalMs: number;
}

export class ContainerState {
  private lastCpuSampleStartMs = GO_ZERO_TIME_MS;
  private memoryPeak = 0;
  private oomPeak = 0;
  /** End (exclusive) of the current memory window; Go's zero time before the first sample. */
  private windowEndMs = GO_ZERO_TIME_MS;
  private lastMemorySampleStartMs = GO_ZERO_TIME_MS;

  constructor(
    readonly aggregate: SampleAggregator,
    private readonly settings: OomSettings,
  ) {}

  /** Discards invalid, duplicate and out-of-order samples: only strictly later times count. */
  addCpuSample(timeMs: number, millicores: number): boolean {
    if (millicores < 0 || !(timeMs > this.lastCpuSampleStartMs)) return false;
    this.aggregate.addCpuSample(millicores, timeMs);
    this.lastCpuSampleStartMs = timeMs;
    return true;
  }

  maxMemoryPeak(): number {
    return Math.max(this.memoryPeak, this.oomPeak);
  }

  addMemorySample(timeMs: number, bytes: number, isOom = false): boolean {
    // OOM samples are always processed; others must not be earlier than the last one.
    if (bytes < 0 || (!isOom && timeMs < this.lastMemorySampleStartMs)) return false;
    this.lastMemorySampleStartMs = timeMs;
    if (this.windowEndMs === GO_ZERO_TIME_MS) this.windowEndMs = timeMs;

    let addNewPeak = false;
    if (timeMs < this.windowEndMs) {
      const oldMax = this.maxMemoryPeak();
      // A window whose peak is 0 keeps it: VPA checks oldMax != 0 before replacing a peak.
      if (oldMax !== 0 && bytes > oldMax) {
        this.aggregate.subtractMemoryPeak(oldMax, this.windowEndMs);
        addNewPeak = true;
      }
    } else {
      // Move to the window holding this sample: windows stay anchored at the first sample.
      const interval = this.settings.memoryAggregationIntervalMs;
      const elapsed = timeMs - this.windowEndMs;
      const shift = interval > 0 ? elapsed - (elapsed % interval) + interval : elapsed + interval;
      this.windowEndMs += shift;
      this.memoryPeak = 0;
      this.oomPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      // The peak is timestamped at the window's end, not at the sample's time.
      this.aggregate.addMemoryPeak(bytes, this.windowEndMs);
      if (isOom) this.oomPeak = bytes;
      else this.memoryPeak = bytes;
    }
    return true;
  }

  /**
   * An OOM kill as a memory sample of max(used + minBump, used × ratio), used = max(request,
   * this window's usage peak); dropped when more than one interval older than the last sample.
   */
  recordOom(timeMs: number, requestBytes: number): boolean {
    const { oomBumpUpRatio, oomMinBumpUpBytes, memoryAggregationIntervalMs } = this.settings;
    if (
      this.lastMemorySampleStartMs !== GO_ZERO_TIME_MS &&
      timeMs < this.lastMemorySampleStartMs - memoryAggregationIntervalMs
    ) {
      return false;
    }
    // The OOM peak is left out, so repeated OOMs do not compound.
    const used = Math.max(memoryAmountFromBytes(requestBytes), this.memoryPeak);
    const needed = Math.max(
      used + memoryAmountFromBytes(oomMinBumpUpBytes),
      scaleResource(used, oomBumpUpRatio),
    );
    const added = this.addMemorySample(timeMs, needed, true);
    if (added) this.aggregate.countOom();
    return added;
  }
}
