/**
 * A VerticalPodAutoscaler's resource policy (read by src/model/vpa-policy.ts) as the recommender
 * applies it (v1.8.1):
 * - which policy a container gets (utils/vpa/api.go GetContainerResourcePolicy): the entry naming
 *   it, else the last `*` entry;
 * - `mode: Off` leaves the container out before anything is estimated (routines/vpa.go
 *   GetContainerNameToAggregateStateMap), so it does not count in the split of the pod minimum;
 * - `controlledResources` filters the estimate (logic/recommender.go FilterControlledResources);
 * - minAllowed, then maxAllowed (merged with the global --container-recommendation-max-allowed-*
 *   for the resources it leaves out) cap target and bounds (utils/vpa/capping.go
 *   applyVPAPolicyForContainer, the recommender's capping post-processor). A zero bound caps nothing.
 * Pure.
 */
import type { ContainerResourcePolicy, PolicyAmounts, PolicyResource } from '../../model/vpa-policy.js';
import type { RecommenderParams } from './params.js';
import { resourceAmountFromFloat } from './resource-amount.js';

export {
  containerPolicyFor,
  controlledResources,
  type ContainerResourcePolicy,
  type PodResourcePolicy,
  type PolicyAmounts,
  type PolicyResource,
} from '../../model/vpa-policy.js';

export function scalingOff(policy: ContainerResourcePolicy | undefined): boolean {
  return policy?.mode === 'Off';
}

/** Millicores and bytes, as the estimate holds them; a resource VPA does not control is absent. */
export interface CappableAmounts {
  readonly millicores?: number;
  readonly bytes?: number;
}

export interface CappableEstimate {
  readonly target: CappableAmounts;
  readonly lowerBound: CappableAmounts;
  readonly upperBound: CappableAmounts;
}

/** Which bound moved the target: what a report says about a capped number. */
export interface Capping {
  readonly resource: PolicyResource;
  readonly by: 'minAllowed' | 'maxAllowed' | 'global maxAllowed';
  /** The limit, in cores or bytes. */
  readonly limit: number;
}

interface Bound {
  readonly amount: number;
  readonly by: Capping['by'];
  readonly limit: number;
}

function bounds(
  policy: ContainerResourcePolicy | undefined,
  params: Pick<
    RecommenderParams,
    'containerRecommendationMaxAllowedCpu' | 'containerRecommendationMaxAllowedMemory'
  >,
): { min: Partial<Record<PolicyResource, Bound>>; max: Partial<Record<PolicyResource, Bound>> } {
  const min: Partial<Record<PolicyResource, Bound>> = {};
  const max: Partial<Record<PolicyResource, Bound>> = {};
  const toAmount = (resource: PolicyResource, value: number): number =>
    resource === 'cpu' ? value * 1000 : value;
  const read = (
    into: Partial<Record<PolicyResource, Bound>>,
    amounts: PolicyAmounts | undefined,
    by: Capping['by'],
  ) => {
    if (amounts?.cpuCores !== undefined)
      into.cpu = { amount: toAmount('cpu', amounts.cpuCores), by, limit: amounts.cpuCores };
    if (amounts?.memoryBytes !== undefined)
      into.memory = { amount: amounts.memoryBytes, by, limit: amounts.memoryBytes };
  };
  read(min, policy?.minAllowed, 'minAllowed');
  read(max, policy?.maxAllowed, 'maxAllowed');
  // The global flags fill in what the VPA's maxAllowed leaves out; a zero flag is no flag.
  const globalCpu = params.containerRecommendationMaxAllowedCpu;
  if (max.cpu === undefined && globalCpu > 0)
    max.cpu = {
      amount: resourceAmountFromFloat(Math.ceil(globalCpu * 1000 - 1e-9)),
      by: 'global maxAllowed',
      limit: globalCpu,
    };
  const globalMemory = params.containerRecommendationMaxAllowedMemory;
  if (max.memory === undefined && globalMemory > 0)
    max.memory = {
      amount: resourceAmountFromFloat(Math.ceil(globalMemory)),
      by: 'global maxAllowed',
      limit: globalMemory,
    };
  return { min, max };
}

const FIELD: Record<PolicyResource, 'millicores' | 'bytes'> = { cpu: 'millicores', memory: 'bytes' };

/** minAllowed then maxAllowed on target and both bounds; what moved the target is returned with it. */
export function capEstimate<E extends CappableEstimate>(
  estimate: E,
  policy: ContainerResourcePolicy | undefined,
  params: Pick<
    RecommenderParams,
    'containerRecommendationMaxAllowedCpu' | 'containerRecommendationMaxAllowedMemory'
  >,
): { estimate: E; cappings: Capping[] } {
  const { min, max } = bounds(policy, params);
  const cappings: Capping[] = [];
  const cap = (amounts: CappableAmounts, record: boolean): CappableAmounts => {
    const out: { millicores?: number; bytes?: number } = { ...amounts };
    for (const resource of ['cpu', 'memory'] as const) {
      const field = FIELD[resource];
      let value = out[field];
      if (value === undefined) continue;
      const low = min[resource];
      if (low && low.amount !== 0 && value < low.amount) {
        value = low.amount;
        if (record) cappings.push({ resource, by: low.by, limit: low.limit });
      }
      const high = max[resource];
      if (high && high.amount !== 0 && value > high.amount) {
        value = high.amount;
        if (record) cappings.push({ resource, by: high.by, limit: high.limit });
      }
      out[field] = value;
    }
    return out;
  };
  return {
    estimate: {
      ...estimate,
      target: cap(estimate.target, true),
      lowerBound: cap(estimate.lowerBound, false),
      upperBound: cap(estimate.upperBound, false),
    },
    cappings,
  };
}
