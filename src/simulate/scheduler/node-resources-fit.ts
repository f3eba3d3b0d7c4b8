/** NodeResourcesFit: requests against allocatable (filter) and the LeastAllocated scoring strategy. */
import { MAX_NODE_SCORE } from './normalize.js';

export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';

export interface FitInput {
  podCpu: number;
  podMemory: number;
  allocCpu: number;
  allocMemory: number;
  allocPods: number;
  requestedCpu: number;
  requestedMemory: number;
  pods: number;
}

/** Every reason the pod does not fit (fitsRequest reports them all); [] when it fits. */
export function fitReasons(i: FitInput): string[] {
  const out: string[] = [];
  if (i.pods + 1 > i.allocPods) out.push(REASON_TOO_MANY_PODS);
  if (i.podCpu > 0 && i.podCpu > i.allocCpu - i.requestedCpu) out.push(REASON_INSUFFICIENT_CPU);
  if (i.podMemory > 0 && i.podMemory > i.allocMemory - i.requestedMemory)
    out.push(REASON_INSUFFICIENT_MEMORY);
  return out;
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * LeastAllocated with the default resources (cpu and memory, weight 1 each), on the node's non-zero
 * requests plus the pod's: ((capacity - requested) * 100 / capacity), averaged, integer arithmetic.
 */
export function leastAllocatedScore(
  requestedCpu: number,
  allocCpu: number,
  requestedMemory: number,
  allocMemory: number,
): number {
  return Math.trunc(
    (leastRequested(requestedCpu, allocCpu) + leastRequested(requestedMemory, allocMemory)) / 2,
  );
}
