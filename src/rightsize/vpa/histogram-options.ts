/**
 * VPA's exponential bucketing (util/histogram_options.go): bucket 0 is [0, first), bucket n ≥ 1
 * starts at first × (ratio^n − 1) / (ratio − 1), the last one is open-ended.
 */
import { goLog, goPow } from './go-math.js';

export interface HistogramOptions {
  readonly numBuckets: number;
  readonly epsilon: number;
  findBucket(value: number): number;
  bucketStart(bucket: number): number;
}

function logBase(base: number, x: number): number {
  return goLog(x) / goLog(base);
}

/** Fixed-size buckets from 0 (VPA's linear options, used by its own histogram tests). */
export function linearHistogramOptions(
  maxValue: number,
  bucketSize: number,
  epsilon: number,
): HistogramOptions {
  if (!(maxValue > 0) || !(bucketSize > 0) || !(epsilon > 0)) {
    throw new Error('maxValue and bucketSize must both be positive');
  }
  const numBuckets = Math.ceil(maxValue / bucketSize) + 1;
  return {
    numBuckets,
    epsilon,
    findBucket(value: number): number {
      const bucket = Math.trunc(value / bucketSize);
      if (bucket < 0) return 0;
      return bucket >= numBuckets ? numBuckets - 1 : bucket;
    },
    bucketStart(bucket: number): number {
      if (bucket < 0 || bucket >= numBuckets || !Number.isInteger(bucket)) {
        throw new Error(`index ${bucket} out of range [0..${numBuckets - 1}]`);
      }
      return bucket * bucketSize;
    },
  };
}

export function exponentialHistogramOptions(
  maxValue: number,
  firstBucketSize: number,
  ratio: number,
  epsilon: number,
): HistogramOptions {
  if (!(maxValue > 0) || !(firstBucketSize > 0) || !(ratio > 1) || !(epsilon > 0)) {
    throw new Error('maxValue, firstBucketSize and epsilon must be > 0.0, ratio must be > 1.0');
  }
  const numBuckets = Math.ceil(logBase(ratio, (maxValue * (ratio - 1)) / firstBucketSize + 1)) + 1;
  const starts = new Float64Array(numBuckets);
  for (let bucket = 1; bucket < numBuckets; bucket++) {
    starts[bucket] = (firstBucketSize * (goPow(ratio, bucket) - 1)) / (ratio - 1);
  }
  const findBucket = (value: number): number => {
    if (value < firstBucketSize) return 0;
    const bucket = Math.trunc(logBase(ratio, (value * (ratio - 1)) / firstBucketSize + 1));
    return bucket >= numBuckets ? numBuckets - 1 : bucket;
  };
  return {
    numBuckets,
    epsilon,
    findBucket,
    bucketStart(bucket: number): number {
      if (bucket < 0 || bucket >= numBuckets || !Number.isInteger(bucket)) {
        throw new Error(`index ${bucket} out of range [0..${numBuckets - 1}]`);
      }
      return starts[bucket] as number;
    },
  };
}

/** VPA's minSampleWeight: every CPU sample weighs this (before decay). */
export const MIN_SAMPLE_WEIGHT = 0.1;
/** Weights below this count as empty buckets: small enough to keep week-old minimum-weight samples. */
export const EPSILON = 0.001 * MIN_SAMPLE_WEIGHT;
/** Each bucket 5% wider than the one before. */
export const BUCKET_SIZE_GROWTH = 0.05;

/** CPU in cores: first bucket 0.01 core, up to 1000 cores. */
export const CPU_HISTOGRAM_OPTIONS = exponentialHistogramOptions(
  1000.0,
  0.01,
  1 + BUCKET_SIZE_GROWTH,
  EPSILON,
);
/** Memory in bytes: first bucket 10 MB, up to 1 TB. */
export const MEMORY_HISTOGRAM_OPTIONS = exponentialHistogramOptions(
  1e12,
  1e7,
  1 + BUCKET_SIZE_GROWTH,
  EPSILON,
);

/**
 * The CPU bucket of whole numbers of millicores up to 1000 cores, each found once: history samples
 * are whole millicores, and a table lookup is what makes millions of samples cheap.
 */
const MAX_TABLE_MILLICORES = 1_000_000;
const UNKNOWN = 255;
let cpuBucketTable: Uint8Array | undefined;

export function cpuBucketOfMillicores(millicores: number): number {
  if (millicores > MAX_TABLE_MILLICORES) return CPU_HISTOGRAM_OPTIONS.findBucket(millicores / 1000);
  const table = (cpuBucketTable ??= new Uint8Array(MAX_TABLE_MILLICORES + 1).fill(UNKNOWN));
  let bucket = table[millicores] as number;
  if (bucket === UNKNOWN) {
    bucket = CPU_HISTOGRAM_OPTIONS.findBucket(millicores / 1000);
    table[millicores] = bucket;
  }
  return bucket;
}
