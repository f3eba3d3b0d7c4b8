/**
 * The VPA recommender's flags that change its numbers (v1.8.1, pkg/recommender/config/config.go),
 * named after the flags in camelCase, with the recommender's defaults. Durations are seconds.
 */
export interface RecommenderParams {
  /** --recommendation-margin-fraction */
  readonly recommendationMarginFraction: number;
  /** --pod-recommendation-min-cpu-millicores: split evenly over the pod's containers. */
  readonly podRecommendationMinCpuMillicores: number;
  /** --pod-recommendation-min-memory-mb (MiB): split evenly over the pod's containers. */
  readonly podRecommendationMinMemoryMb: number;
  /** --target-cpu-percentile */
  readonly targetCpuPercentile: number;
  /** --recommendation-lower-bound-cpu-percentile */
  readonly recommendationLowerBoundCpuPercentile: number;
  /** --recommendation-upper-bound-cpu-percentile */
  readonly recommendationUpperBoundCpuPercentile: number;
  /** --confidence-interval-cpu (s) */
  readonly confidenceIntervalCpu: number;
  /** --target-memory-percentile */
  readonly targetMemoryPercentile: number;
  /** --recommendation-lower-bound-memory-percentile */
  readonly recommendationLowerBoundMemoryPercentile: number;
  /** --recommendation-upper-bound-memory-percentile */
  readonly recommendationUpperBoundMemoryPercentile: number;
  /** --confidence-interval-memory (s) */
  readonly confidenceIntervalMemory: number;
  /** --round-cpu-millicores: values rounded up to a multiple. */
  readonly roundCpuMillicores: number;
  /** --round-memory-bytes: values rounded up to a multiple. */
  readonly roundMemoryBytes: number;
  /** --memory-aggregation-interval (s): one memory peak per interval. */
  readonly memoryAggregationInterval: number;
  /** --memory-aggregation-interval-count: an aggregate whose last CPU sample is older than interval × count before `now` is dropped. */
  readonly memoryAggregationIntervalCount: number;
  /** --memory-histogram-decay-half-life (s) */
  readonly memoryHistogramDecayHalfLife: number;
  /** --cpu-histogram-decay-half-life (s) */
  readonly cpuHistogramDecayHalfLife: number;
  /** --oom-bump-up-ratio */
  readonly oomBumpUpRatio: number;
  /** --oom-min-bump-up-bytes */
  readonly oomMinBumpUpBytes: number;
  /** --container-recommendation-max-allowed-cpu (cores; 0 = none) */
  readonly containerRecommendationMaxAllowedCpu: number;
  /** --container-recommendation-max-allowed-memory (bytes; 0 = none) */
  readonly containerRecommendationMaxAllowedMemory: number;
  /** --history-length (s): how far back a source reads (the recommender's default 8d). */
  readonly historyLength: number;
  /** --history-resolution (s): the step of the range queries and the range of rate() (1h). */
  readonly historyResolution: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const VPA_DEFAULTS: RecommenderParams = Object.freeze({
  recommendationMarginFraction: 0.15,
  podRecommendationMinCpuMillicores: 25,
  podRecommendationMinMemoryMb: 250,
  targetCpuPercentile: 0.9,
  recommendationLowerBoundCpuPercentile: 0.5,
  recommendationUpperBoundCpuPercentile: 0.95,
  confidenceIntervalCpu: DAY,
  targetMemoryPercentile: 0.9,
  recommendationLowerBoundMemoryPercentile: 0.5,
  recommendationUpperBoundMemoryPercentile: 0.95,
  confidenceIntervalMemory: DAY,
  roundCpuMillicores: 1,
  roundMemoryBytes: 1,
  memoryAggregationInterval: DAY,
  memoryAggregationIntervalCount: 8,
  memoryHistogramDecayHalfLife: DAY,
  cpuHistogramDecayHalfLife: DAY,
  oomBumpUpRatio: 1.2,
  oomMinBumpUpBytes: 100 * 1024 * 1024,
  containerRecommendationMaxAllowedCpu: 0,
  containerRecommendationMaxAllowedMemory: 0,
  historyLength: 8 * DAY,
  historyResolution: HOUR,
});
