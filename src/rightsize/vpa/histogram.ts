/**
 * VPA's histograms (util/histogram.go, util/decaying_histogram.go), field for field: the same
 * bucket weights, total, min/max non-empty buckets and epsilon rules, so percentiles match.
 * Times are unix milliseconds (Prometheus' precision): ratios of Go's nanosecond durations equal
 * ratios of milliseconds exactly.
 */
import { goExp2, ldexp } from './go-math.js';
import type { HistogramOptions } from './histogram-options.js';

export class Histogram {
  readonly options: HistogramOptions;
  readonly bucketWeight: Float64Array;
  totalWeight = 0;
  /** The first non-empty bucket, or the last bucket when there is none. */
  minBucket: number;
  /** The last non-empty bucket, or 0 when there is none. */
  maxBucket = 0;

  constructor(options: HistogramOptions) {
    this.options = options;
    this.bucketWeight = new Float64Array(options.numBuckets);
    this.minBucket = options.numBuckets - 1;
  }

  addSample(value: number, weight: number): void {
    this.addToBucket(this.options.findBucket(value), weight);
  }

  /** addSample with the bucket already found (the CPU path looks buckets up in a table). */
  addToBucket(bucket: number, weight: number): void {
    if (weight < 0) throw new Error('sample weight must be non-negative');
    const weights = this.bucketWeight;
    weights[bucket] = (weights[bucket] as number) + weight;
    this.totalWeight += weight;
    const epsilon = this.options.epsilon;
    if (bucket < this.minBucket && (weights[bucket] as number) >= epsilon) this.minBucket = bucket;
    if (bucket > this.maxBucket && (weights[bucket] as number) >= epsilon) this.maxBucket = bucket;
  }

  subtractSample(value: number, weight: number): void {
    this.subtractFromBucket(this.options.findBucket(value), weight);
  }

  subtractFromBucket(bucket: number, weight: number): void {
    if (weight < 0) throw new Error('sample weight must be non-negative');
    const epsilon = this.options.epsilon;
    this.totalWeight = safeSubtract(this.totalWeight, weight, epsilon);
    this.bucketWeight[bucket] = safeSubtract(this.bucketWeight[bucket] as number, weight, epsilon);
    this.updateMinAndMaxBucket();
  }

  merge(other: Histogram): void {
    if (this.options !== other.options) throw new Error("can't merge histograms with different options");
    for (let bucket = other.minBucket; bucket <= other.maxBucket; bucket++) {
      this.bucketWeight[bucket] =
        (this.bucketWeight[bucket] as number) + (other.bucketWeight[bucket] as number);
    }
    this.totalWeight += other.totalWeight;
    if (other.minBucket < this.minBucket) this.minBucket = other.minBucket;
    if (other.maxBucket > this.maxBucket) this.maxBucket = other.maxBucket;
  }

  /** The END of the bucket where the running weight reaches p × total (0 when empty). */
  percentile(percentile: number): number {
    if (this.isEmpty()) return 0;
    let partialSum = 0;
    const threshold = percentile * this.totalWeight;
    let bucket = this.minBucket;
    for (; bucket < this.maxBucket; bucket++) {
      partialSum += this.bucketWeight[bucket] as number;
      if (partialSum >= threshold) break;
    }
    if (bucket < this.options.numBuckets - 1) return this.options.bucketStart(bucket + 1);
    // The last bucket has no end.
    return this.options.bucketStart(bucket);
  }

  isEmpty(): boolean {
    return (this.bucketWeight[this.minBucket] as number) < this.options.epsilon;
  }

  /** Go's Equals: same options, same min/max buckets and weights within 1e-15. */
  equals(other: Histogram): boolean {
    if (
      this.options !== other.options ||
      this.minBucket !== other.minBucket ||
      this.maxBucket !== other.maxBucket
    ) {
      return false;
    }
    for (let bucket = this.minBucket; bucket <= this.maxBucket; bucket++) {
      const diff = (this.bucketWeight[bucket] as number) - (other.bucketWeight[bucket] as number);
      if (diff > 1e-15 || diff < -1e-15) return false;
    }
    return true;
  }

  /** Multiplies every weight (percentiles do not change); buckets that fall below epsilon empty. */
  scale(factor: number): void {
    if (factor < 0) throw new Error('scale factor must be non-negative');
    for (let bucket = this.minBucket; bucket <= this.maxBucket; bucket++) {
      this.bucketWeight[bucket] = (this.bucketWeight[bucket] as number) * factor;
    }
    this.totalWeight *= factor;
    this.updateMinAndMaxBucket();
  }

  private updateMinAndMaxBucket(): void {
    const epsilon = this.options.epsilon;
    const lastBucket = this.options.numBuckets - 1;
    while ((this.bucketWeight[this.minBucket] as number) < epsilon && this.minBucket < lastBucket)
      this.minBucket++;
    while ((this.bucketWeight[this.maxBucket] as number) < epsilon && this.maxBucket > 0) this.maxBucket--;
  }
}

function safeSubtract(value: number, sub: number, epsilon: number): number {
  const result = value - sub;
  return result < epsilon ? 0 : result;
}

/** Go's zero time.Time (0001-01-01 UTC) in unix milliseconds: where a decaying histogram starts. */
export const GO_ZERO_TIME_MS = -62135596800000;
/** time.Duration saturates at ±(2^63 − 1) ns. */
const MAX_DURATION_MS = 2 ** 63 / 1e6;
/** Past 2^100 the reference time moves forward, so weights never overflow. */
const MAX_DECAY_EXPONENT = 100;

/** Go's time.Time.Round(d): to the nearest multiple of d since the zero time, halves up. */
export function roundToMultipleSinceZeroTime(timeMs: number, durationMs: number): number {
  if (durationMs <= 0) return timeMs;
  const offset = timeMs - GO_ZERO_TIME_MS;
  const remainder = offset - Math.floor(offset / durationMs) * durationMs;
  return remainder + remainder < durationMs ? timeMs - remainder : timeMs + (durationMs - remainder);
}

/**
 * A histogram whose samples weigh 2^((t − ref) / halfLife): a sample loses half its weight every
 * half-life. Only relative weights matter; ref moves forward when exponents would grow too large.
 */
export class DecayingHistogram extends Histogram {
  readonly halfLifeMs: number;
  referenceTimestampMs = GO_ZERO_TIME_MS;
  private lastDecayTimeMs = NaN;
  private lastDecayReferenceMs = NaN;
  private lastDecayFactor = 1;

  constructor(options: HistogramOptions, halfLifeMs: number) {
    super(options);
    this.halfLifeMs = halfLifeMs;
  }

  addDecayedSample(value: number, weight: number, timeMs: number): void {
    this.addToBucket(this.options.findBucket(value), weight * this.decayFactor(timeMs));
  }

  addDecayedToBucket(bucket: number, weight: number, timeMs: number): void {
    this.addToBucket(bucket, weight * this.decayFactor(timeMs));
  }

  subtractDecayedSample(value: number, weight: number, timeMs: number): void {
    this.subtractSample(value, weight * this.decayFactor(timeMs));
  }

  /** subtractDecayedSample with the bucket already found. */
  subtractDecayedFromBucket(bucket: number, weight: number, timeMs: number): void {
    this.subtractFromBucket(bucket, weight * this.decayFactor(timeMs));
  }

  mergeDecaying(other: DecayingHistogram): void {
    if (this.halfLifeMs !== other.halfLifeMs) {
      throw new Error("can't merge decaying histograms with different half life periods");
    }
    // Align the older reference time with the younger one.
    if (this.referenceTimestampMs < other.referenceTimestampMs) {
      this.shiftReferenceTimestamp(other.referenceTimestampMs);
    } else if (other.referenceTimestampMs < this.referenceTimestampMs) {
      other.shiftReferenceTimestamp(this.referenceTimestampMs);
    }
    this.merge(other);
  }

  decayFactor(timeMs: number): number {
    if (timeMs > this.referenceTimestampMs + this.halfLifeMs * MAX_DECAY_EXPONENT)
      this.shiftReferenceTimestamp(timeMs);
    // A memory peak is replaced by subtracting and adding at the same window end: compute once.
    if (timeMs === this.lastDecayTimeMs && this.referenceTimestampMs === this.lastDecayReferenceMs) {
      return this.lastDecayFactor;
    }
    const factor = goExp2(saturate(timeMs - this.referenceTimestampMs) / this.halfLifeMs);
    this.lastDecayTimeMs = timeMs;
    this.lastDecayReferenceMs = this.referenceTimestampMs;
    this.lastDecayFactor = factor;
    return factor;
  }

  shiftReferenceTimestamp(newReferenceMs: number): void {
    const rounded = roundToMultipleSinceZeroTime(newReferenceMs, this.halfLifeMs);
    const exponent = Math.floor(saturate(this.referenceTimestampMs - rounded) / this.halfLifeMs + 0.5);
    this.scale(ldexp(1, exponent));
    this.referenceTimestampMs = rounded;
  }
}

function saturate(durationMs: number): number {
  if (durationMs > MAX_DURATION_MS) return MAX_DURATION_MS;
  if (durationMs < -MAX_DURATION_MS) return -MAX_DURATION_MS;
  return durationMs;
}
