/**
 * recommendContainers: a workload's usage history in, VPA's recommendation per container name out,
 * as the recommender computes it from history loaded with --storage=prometheus plus the OOM kills
 * its observer records. See docs/rightsize-algorithm.md.
 */
import type { ContainerUsage, OomKill, UsageSample } from '../../model/usage.js';
import { AggregateState } from './aggregate-state.js';
import { ContainerState } from './container-state.js';
import { confidence, estimate, type Amounts } from './estimator.js';
import { GO_ZERO_TIME_MS } from './histogram.js';
import { VPA_DEFAULTS, type RecommenderParams } from './params.js';
import {
  capEstimate,
  containerPolicyFor,
  controlledResources,
  scalingOff,
  type CappableAmounts,
  type Capping,
  type PodResourcePolicy,
  type PolicyResource,
} from './policy.js';
import { cpuAmountFromCores, memoryAmountFromBytes } from './resource-amount.js';

/** Cores and bytes; a resource the VPA's policy does not control is absent (VPA gives no number). */
export interface Resources {
  readonly cpuCores?: number;
  readonly memoryBytes?: number;
}

export interface ContainerRecommendation {
  readonly container: string;
  /** Capped by the VPA's policy and the global max-allowed flags: the VPA status' target. */
  readonly target: Resources;
  readonly lowerBound: Resources;
  readonly upperBound: Resources;
  /** Before capping: the status' uncappedTarget. */
  readonly uncappedTarget: Resources;
  /** What moved the target, in order. */
  readonly cappings: readonly Capping[];
  /** The resources VPA recommends for it (the policy's controlledResources). */
  readonly controlledResources: readonly PolicyResource[];
  /** CPU samples VPA kept (all pods): what its confidence counts. */
  readonly cpuSamples: number;
  /** Memory peaks (one per pod and aggregation interval) in the distribution. */
  readonly memoryPeaks: number;
  /** OOM kills that bumped memory. */
  readonly oomKills: number;
  /** First and last kept CPU sample, unix seconds. */
  readonly firstSample?: number;
  readonly lastSample?: number;
  /** Days of history as VPA counts them: min(days covered, CPU samples / 1440). */
  readonly confidence: number;
}

export interface RecommendOptions extends Partial<RecommenderParams> {
  /**
   * Unix seconds. When set, a pod's history whose last CPU sample is memoryAggregationInterval ×
   * memoryAggregationIntervalCount (8 days) or more before it is left out, as VPA's garbage
   * collection drops it.
   */
  readonly now?: number;
  /** The VerticalPodAutoscaler's spec.resourcePolicy, when the workload has one. */
  readonly policy?: PodResourcePolicy;
}

function toMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

function isSorted(samples: readonly { readonly time: number }[]): boolean {
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i] as UsageSample).time < (samples[i - 1] as UsageSample).time) return false;
  }
  return true;
}

function byTime<T extends { readonly time: number }>(samples: readonly T[]): readonly T[] {
  return isSorted(samples) ? samples : [...samples].sort((a, b) => a.time - b.time);
}

/** One pod's container: VPA appends every series of (pod, container) and sorts them by time. */
function historyOf(entries: readonly ContainerUsage[]): {
  cpu: readonly UsageSample[];
  memory: readonly UsageSample[];
  ooms: readonly OomKill[];
} {
  if (entries.length === 1) {
    const only = entries[0] as ContainerUsage;
    return { cpu: byTime(only.cpu), memory: byTime(only.memory), ooms: byTime(only.ooms) };
  }
  return {
    cpu: byTime(entries.flatMap((e) => e.cpu)),
    memory: byTime(entries.flatMap((e) => e.memory)),
    ooms: byTime(entries.flatMap((e) => e.ooms)),
  };
}

function podAggregate(entries: readonly ContainerUsage[], params: RecommenderParams): AggregateState {
  const aggregate = new AggregateState(
    params.cpuHistogramDecayHalfLife * 1000,
    params.memoryHistogramDecayHalfLife * 1000,
  );
  const state = new ContainerState(aggregate, {
    oomBumpUpRatio: params.oomBumpUpRatio,
    oomMinBumpUpBytes: params.oomMinBumpUpBytes,
    memoryAggregationIntervalMs: params.memoryAggregationInterval * 1000,
  });
  const { cpu, memory, ooms } = historyOf(entries);
  for (let i = 0; i < cpu.length; i++) {
    const sample = cpu[i] as UsageSample;
    state.addCpuSample(toMs(sample.time), cpuAmountFromCores(sample.value));
  }
  // Each OOM after the memory samples up to its time: what a recommender running then recorded.
  let next = 0;
  for (const sample of memory) {
    while (next < ooms.length && (ooms[next] as OomKill).time < sample.time) {
      const oom = ooms[next++] as OomKill;
      state.recordOom(toMs(oom.time), oom.memoryBytes);
    }
    state.addMemorySample(toMs(sample.time), memoryAmountFromBytes(sample.value));
  }
  for (; next < ooms.length; next++) {
    const oom = ooms[next] as OomKill;
    state.recordOom(toMs(oom.time), oom.memoryBytes);
  }
  return aggregate;
}

function resources(amounts: CappableAmounts): Resources {
  return {
    ...(amounts.millicores !== undefined ? { cpuCores: amounts.millicores / 1000 } : {}),
    ...(amounts.bytes !== undefined ? { memoryBytes: amounts.bytes } : {}),
  };
}

/** FilterControlledResources: only the resources the policy controls keep a number. */
function controlled(amounts: Amounts, resources: readonly PolicyResource[]): CappableAmounts {
  return {
    ...(resources.includes('cpu') ? { millicores: amounts.millicores } : {}),
    ...(resources.includes('memory') ? { bytes: amounts.bytes } : {}),
  };
}

/** Groups a workload's containers (all pods) by container name, as VPA merges aggregates per VPA. */
export function recommendContainers(
  usage: readonly ContainerUsage[],
  options: RecommendOptions = {},
): ContainerRecommendation[] {
  const params: RecommenderParams = { ...VPA_DEFAULTS, ...definedOnly(options) };
  const byName = new Map<string, Map<string, ContainerUsage[]>>();
  for (const entry of usage) {
    let pods = byName.get(entry.container);
    if (pods === undefined) byName.set(entry.container, (pods = new Map()));
    const list = pods.get(entry.pod);
    if (list === undefined) pods.set(entry.pod, [entry]);
    else list.push(entry);
  }

  const windowMs = params.memoryAggregationInterval * params.memoryAggregationIntervalCount * 1000;
  const merged = new Map<string, AggregateState>();
  for (const [name, pods] of byName) {
    // mode Off: left out before anything is estimated, so it takes no share of the pod minimum.
    if (scalingOff(containerPolicyFor(options.policy, name))) continue;
    const aggregates = [...pods.values()]
      .map((entries) => podAggregate(entries, params))
      .filter((a) => options.now === undefined || !a.isExpired(toMs(options.now), windowMs));
    if (aggregates.length === 0) continue;
    // As AggregateStateByContainerName: a fresh aggregate that every matching one merges into.
    const total = new AggregateState(
      params.cpuHistogramDecayHalfLife * 1000,
      params.memoryHistogramDecayHalfLife * 1000,
    );
    for (const aggregate of aggregates) total.merge(aggregate);
    merged.set(name, total);
  }

  // VPA splits the pod minimum over every container name it tracks, with or without samples.
  const containerCount = merged.size;
  const recommendations: ContainerRecommendation[] = [];
  for (const [name, aggregate] of merged) {
    if (aggregate.totalSamplesCount === 0 && aggregate.memoryPeakCount === 0) continue;
    const policy = containerPolicyFor(options.policy, name);
    const resourcesControlled = controlledResources(policy);
    const result = estimate(aggregate, params, containerCount);
    const uncapped = {
      target: controlled(result.target, resourcesControlled),
      lowerBound: controlled(result.lowerBound, resourcesControlled),
      upperBound: controlled(result.upperBound, resourcesControlled),
    };
    const { estimate: capped, cappings } = capEstimate(uncapped, policy, params);
    const hasCpu = aggregate.firstSampleStartMs !== GO_ZERO_TIME_MS;
    recommendations.push({
      container: name,
      target: resources(capped.target),
      lowerBound: resources(capped.lowerBound),
      upperBound: resources(capped.upperBound),
      uncappedTarget: resources(uncapped.target),
      cappings,
      controlledResources: resourcesControlled,
      cpuSamples: aggregate.totalSamplesCount,
      memoryPeaks: aggregate.memoryPeakCount,
      oomKills: aggregate.oomCount,
      ...(hasCpu
        ? { firstSample: aggregate.firstSampleStartMs / 1000, lastSample: aggregate.lastSampleStartMs / 1000 }
        : {}),
      confidence: confidence(aggregate, params.confidenceIntervalCpu),
    });
  }
  return recommendations.sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0));
}

function definedOnly(options: RecommendOptions): Partial<RecommenderParams> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'now' && key !== 'policy' && typeof value === 'number') result[key] = value;
  }
  return result as Partial<RecommenderParams>;
}
