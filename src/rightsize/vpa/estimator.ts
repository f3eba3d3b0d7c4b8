/**
 * VPA's estimators (logic/estimator.go, logic/recommender.go): percentile, safety margin,
 * confidence multiplier for the bounds, the pod minimum split over containers, then the status
 * formatting (rounding up); the capping post-processor is ./policy.ts. Integer millicores and
 * bytes throughout, each step truncating as Go's ResourceAmount does.
 */
import type { AggregateState } from './aggregate-state.js';
import { goPow } from './go-math.js';
import type { RecommenderParams } from './params.js';
import {
  cpuAmountFromCores,
  memoryAmountFromBytes,
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

/** A function from an aggregate to millicores or bytes: VPA's CPUEstimator / MemoryEstimator. */
export type Estimator = (aggregate: AggregateState) => number;

export const cpuPercentile =
  (percentile: number): Estimator =>
  (aggregate) =>
    cpuAmountFromCores(aggregate.cpu.percentile(percentile));

export const memoryPercentile =
  (percentile: number): Estimator =>
  (aggregate) =>
    memoryAmountFromBytes(aggregate.memoryPeaks.percentile(percentile));

export const constant =
  (amount: number): Estimator =>
  () =>
    amount;

/** base + trunc(base × fraction). */
export const withMargin =
  (fraction: number, base: Estimator): Estimator =>
  (aggregate) => {
    const value = base(aggregate);
    return value + scaleResource(value, fraction);
  };

/** base × (1 + multiplier/confidence)^exponent. */
export const withConfidenceMultiplier =
  (multiplier: number, exponent: number, base: Estimator, intervalSeconds: number): Estimator =>
  (aggregate) =>
    scaleResource(base(aggregate), goPow(1 + multiplier / confidence(aggregate, intervalSeconds), exponent));

export const withMinimum =
  (minimum: number, base: Estimator): Estimator =>
  (aggregate) =>
    Math.max(base(aggregate), minimum);

/** The per-container minimum: the pod minimum split evenly over the VPA's container names. */
export function minimums(params: RecommenderParams, containerCount: number): Amounts {
  const fraction = 1.0 / containerCount;
  return {
    millicores: scaleResource(cpuAmountFromCores(params.podRecommendationMinCpuMillicores * 0.001), fraction),
    bytes: scaleResource(memoryAmountFromBytes(params.podRecommendationMinMemoryMb * 1024 * 1024), fraction),
  };
}

/**
 * What MapToListOfRecommendedContainerResources makes of an estimate: rounded up when asked. The
 * capping post-processor (the VPA's policy and the global max-allowed flags) runs after, in ./policy.ts.
 */
function format(amounts: Amounts, params: RecommenderParams): Amounts {
  let millicores = Math.max(amounts.millicores, 0);
  let bytes = Math.max(amounts.bytes, 0);
  if (params.roundCpuMillicores !== 1 && millicores !== 0)
    millicores = roundUpToScale(millicores, params.roundCpuMillicores);
  if (params.roundMemoryBytes !== 1 && bytes !== 0) bytes = roundUpToScale(bytes, params.roundMemoryBytes);
  return { millicores, bytes };
}

interface Estimators {
  readonly cpu: Estimator;
  readonly memory: Estimator;
}

/** CreatePodResourceRecommender + GetRecommendedPodResources, for one container name. */
export function estimate(
  aggregate: AggregateState,
  params: RecommenderParams,
  containerCount: number,
): Estimate {
  const min = minimums(params, containerCount);
  const margin = params.recommendationMarginFraction;
  const build = (
    cpuP: number,
    memoryP: number,
    bound?: { multiplier: number; exponent: number },
  ): Estimators => {
    let cpu = withMargin(margin, cpuPercentile(cpuP));
    let memory = withMargin(margin, memoryPercentile(memoryP));
    if (bound !== undefined) {
      cpu = withConfidenceMultiplier(bound.multiplier, bound.exponent, cpu, params.confidenceIntervalCpu);
      memory = withConfidenceMultiplier(
        bound.multiplier,
        bound.exponent,
        memory,
        params.confidenceIntervalMemory,
      );
    }
    return { cpu: withMinimum(min.millicores, cpu), memory: withMinimum(min.bytes, memory) };
  };
  const run = (e: Estimators): Amounts =>
    format({ millicores: e.cpu(aggregate), bytes: e.memory(aggregate) }, params);
  return {
    target: run(build(params.targetCpuPercentile, params.targetMemoryPercentile)),
    // × (1 + 0.001/confidence)^-2: quickly 1.
    lowerBound: run(
      build(params.recommendationLowerBoundCpuPercentile, params.recommendationLowerBoundMemoryPercentile, {
        multiplier: 0.001,
        exponent: -2,
      }),
    ),
    // × (1 + 1/confidence): ×2 after a day, ×1.14 after a week, unbounded with no history.
    upperBound: run(
      build(params.recommendationUpperBoundCpuPercentile, params.recommendationUpperBoundMemoryPercentile, {
        multiplier: 1,
        exponent: 1,
      }),
    ),
  };
}
