/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in the same
 * proportion: (1 - std) * 100 over the requested fractions (capped at 1); for two resources
 * std = |f1 - f2| / 2. Best-effort pods (no requests) are skipped, as kube-scheduler does since 1.32.
 */
import { MAX_NODE_SCORE } from './normalize.js';

/**
 * Score kernel for one node. A resource the node has no allocatable of is left out, as upstream
 * leaves it out of the fractions; with one fraction left the std is 0. The fractions are locals, not
 * an array: this runs per feasible node and cycle, and an array each call was most of what
 * placement allocated.
 */
export function balancedAllocationScore(
  requestedCpu: number,
  allocCpu: number,
  requestedMemory: number,
  allocMemory: number,
): number {
  let std = 0;
  if (allocCpu > 0 && allocMemory > 0) {
    const cpuFraction = Math.min(1, requestedCpu / allocCpu);
    const memoryFraction = Math.min(1, requestedMemory / allocMemory);
    std = Math.abs((cpuFraction - memoryFraction) / 2);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
