/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in the same
 * proportion: (1 - std) * 100 over the requested fractions (capped at 1); for two resources
 * std = |f1 - f2| / 2. Best-effort pods (no requests) are skipped, as kube-scheduler does since 1.32.
 */
import { MAX_NODE_SCORE } from './normalize.js';

export function balancedAllocationScore(
  requestedCpu: number,
  allocCpu: number,
  requestedMemory: number,
  allocMemory: number,
): number {
  const fractions: number[] = [];
  if (allocCpu > 0) fractions.push(Math.min(1, requestedCpu / allocCpu));
  if (allocMemory > 0) fractions.push(Math.min(1, requestedMemory / allocMemory));
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
