/**
 * The shapes the right-sizing layer passes between its steps: the workloads to resize and what they
 * request today, the plan per container, the limits policy. Types only.
 */
import type { UsageQuery, WorkloadUsage } from '../model/usage.js';
import type { K8sObject } from '../model/types.js';
import type { ContainerRecommendation } from './vpa/index.js';
import type { WorkloadVpa } from './vpa-object.js';

/** CPU in cores and memory in bytes; a resource left out is not set. */
export interface Amounts {
  readonly cpuCores?: number;
  readonly memoryBytes?: number;
}

export interface ContainerResources {
  readonly requests: Amounts;
  readonly limits: Amounts;
}

/**
 * What happens to limits when requests change (docs/rightsize.md, "Limits"):
 * - ratio: today's limit/request ratio is kept (VPA's default, controlledValues RequestsAndLimits);
 * - keep: today's limits stay, raised to the new request where they would fall below it;
 * - none: CPU and memory limits are removed;
 * - equal: memory limit = memory request, CPU limit removed.
 */
export type LimitsPolicy = 'ratio' | 'keep' | 'none' | 'equal';
export const LIMITS_POLICIES: readonly LimitsPolicy[] = ['ratio', 'keep', 'none', 'equal'];

/** A container of a workload's pod template, and what it asks for today. */
export interface TargetContainer {
  readonly name: string;
  /** JSON pointer of the container inside its object. */
  readonly path: string;
  readonly current: ContainerResources;
}

/** One workload to right-size: its object, what to ask a usage source, its containers. */
export interface RightsizeTarget {
  readonly object: K8sObject;
  /** `namespace/Kind/name`. */
  readonly id: string;
  readonly query: UsageQuery;
  readonly containers: readonly TargetContainer[];
  /** spec.replicas (1 when unset) for the kinds that have it. */
  readonly replicas?: number;
  /** The VerticalPodAutoscaler naming it: its policy bounds the recommendation, as VPA's status. */
  readonly vpa?: WorkloadVpa;
  /** Why it cannot be measured (a selector no label set can express); it is then not queried. */
  readonly problems: readonly string[];
}

/** One container's outcome: the VPA recommendation and the requests and limits it leads to. */
export interface ContainerPlan {
  readonly name: string;
  readonly path: string;
  readonly current: ContainerResources;
  readonly recommendation?: ContainerRecommendation;
  /** Requests rounded up (millicores, whole MiB) and limits by the policy; absent without a recommendation. */
  readonly recommended?: ContainerResources;
  /** What the limits policy had to decide that the user should know. */
  readonly notes: readonly string[];
}

/** One workload's outcome. */
export interface WorkloadPlan {
  readonly target: RightsizeTarget;
  readonly containers: readonly ContainerPlan[];
  /** One line each: the source's problems and the containers left without a recommendation. */
  readonly problems: readonly string[];
  readonly usage?: WorkloadUsage;
}
