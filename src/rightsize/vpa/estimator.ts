/**
 * VPA's estimators (logic/estimator.go, logic/recommender.go): percentile, safety margin,
 * confidence multiplier for the bounds, the pod minimum split over containers, then the status
 * formatting (rounding up) and the capping post-processor. Integer millicores and bytes throughout,
 * each step truncating as Go's ResourceAmount does.
 */
import type { AggregateState } from './aggregate-state.js';
import { goPow } from './go-math.js';
import type { RecommenderParams } from './params.js';
import {
  cpuAmountFromCores,
  memoryAmountFromBytes,
  resourceAmountFromFloat,
  roundUpToScale,
  scaleResource,
} from './resource-amount.js';

/** Millicores and bytes, as VPA's ResourceAmount. */
export interface Amounts {
  readonly millicores: number;
  readonly bytes: number;
}

export interface Estimate {
  readonly target: Amounts;
  readonly lowerBound: Amounts;
  readonly upperBound: Amounts;
}

/**
 * min(days between the first and last CPU sample, CPU samples / minutes in a day): N for N days of
 * one sample a minute. Both measured in `intervalSeconds` (24h by default).
 */
export function confidence(aggregate: AggregateState, intervalSeconds: number): number {
  const intervalMs = intervalSeconds * 1000;
  const lifespan = (aggregate.lastSampleStartMs - aggregate.firstSampleStartMs) / intervalMs;
  const samples = aggregate.totalSamplesCount / (intervalSeconds / 60);
  return Math.min(lifespan, samples);
}

type Percentile = (aggregate: AggregateState, percentile: number) => number;

const cpuPercentile: Percentile = (aggregate, p) => cpuAmountFromCores(aggregate.cpu.percentile(p));
const memoryPercentile: Percentile = (aggregate, p) =>
  memoryAmountFromBytes(aggregate.memoryPeaks.percentile(p));

interface Bound {
  readonly multiplier: number;
  readonly exponent: number;
}
/** Upper bound × (1 + 1/confidence): ×2 after a day, ×1.14 after a week, unbounded with no history. */
const UPPER: Bound = { multiplier: 1.0, exponent: 1.0 };
/** Lower bound × (1 + 0.001/confidence)^-2: quickly 1. */
const LOWER: Bound = { multiplier: 0.001, exponent: -2.0 };

function estimateOne(
  aggregate: AggregateState,
  percentileOf: Percentile,
  percentile: number,
  margin: number,
  bound: Bound | undefined,
  confidenceInterval: number,
  minimum: number,
): number {
  const base = percentileOf(aggregate, percentile);
  let value = base + scaleResource(base, margin);
  if (bound !== undefined) {
    const c = confidence(aggregate, confidenceInterval);
    value = scaleResource(value, goPow(1 + bound.multiplier / c, bound.exponent));
  }
  return Math.max(value, minimum);
}

/** The per-container minimum: the pod minimum split evenly over the VPA's container names. */
export function minimums(params: RecommenderParams, containerCount: number): Amounts {
  const fraction = 1.0 / containerCount;
  return {
    millicores: scaleResource(cpuAmountFromCores(params.podRecommendationMinCpuMillicores * 0.001), fraction),
    bytes: scaleResource(memoryAmountFromBytes(params.podRecommendationMinMemoryMb * 1024 * 1024), fraction),
  };
}

function estimateAmounts(
  aggregate: AggregateState,
  params: RecommenderParams,
  min: Amounts,
  cpuP: number,
  memoryP: number,
  bound: Bound | undefined,
): Amounts {
  const margin = params.recommendationMarginFraction;
  return {
    millicores: estimateOne(
      aggregate,
      cpuPercentile,
      cpuP,
      margin,
      bound,
      params.confidenceIntervalCpu,
      min.millicores,
    ),
    bytes: estimateOne(
      aggregate,
      memoryPercentile,
      memoryP,
      margin,
      bound,
      params.confidenceIntervalMemory,
      min.bytes,
    ),
  };
}

/** What the status gets: rounded up (when asked), then capped by the global max-allowed flags. */
function format(amounts: Amounts, params: RecommenderParams): Amounts {
  let millicores = Math.max(amounts.millicores, 0);
  let bytes = Math.max(amounts.bytes, 0);
  if (params.roundCpuMillicores !== 1 && millicores !== 0)
    millicores = roundUpToScale(millicores, params.roundCpuMillicores);
  if (params.roundMemoryBytes !== 1 && bytes !== 0) bytes = roundUpToScale(bytes, params.roundMemoryBytes);
  const maxMillicores = resourceAmountFromFloat(
    Math.ceil(params.containerRecommendationMaxAllowedCpu * 1000 - 1e-9),
  );
  if (maxMillicores > 0 && millicores > maxMillicores) millicores = maxMillicores;
  const maxBytes = resourceAmountFromFloat(Math.ceil(params.containerRecommendationMaxAllowedMemory));
  if (maxBytes > 0 && bytes > maxBytes) bytes = maxBytes;
  return { millicores, bytes };
}

export function estimate(
  aggregate: AggregateState,
  params: RecommenderParams,
  containerCount: number,
): Estimate {
  const min = minimums(params, containerCount);
  return {
    target: format(
      estimateAmounts(
        aggregate,
        params,
        min,
        params.targetCpuPercentile,
        params.targetMemoryPercentile,
        undefined,
      ),
      params,
    ),
    lowerBound: format(
      estimateAmounts(
        aggregate,
        params,
        min,
        params.recommendationLowerBoundCpuPercentile,
        params.recommendationLowerBoundMemoryPercentile,
        LOWER,
      ),
      params,
    ),
    upperBound: format(
      estimateAmounts(
        aggregate,
        params,
        min,
        params.recommendationUpperBoundCpuPercentile,
        params.recommendationUpperBoundMemoryPercentile,
        UPPER,
      ),
      params,
    ),
  };
}
