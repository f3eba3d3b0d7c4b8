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

/** Bits of insufficientResources: the resources the node lacks for the pod. */
export const Insufficient = { Pods: 1, Cpu: 2, Memory: 4 } as const;

/**
 * Filter kernel (fitsRequest): the resources the node lacks for the pod, as Insufficient bits (0: it
 * fits). A resource the pod does not request never rejects a node, however full the node is.
 */
export function insufficientResources(
  podCpu: number,
  podMemory: number,
  pods: number,
  allocPods: number,
  allocCpu: number,
  requestedCpu: number,
  allocMemory: number,
  requestedMemory: number,
): number {
  let lacks = 0;
  if (pods + 1 > allocPods) lacks |= Insufficient.Pods;
  if (podCpu > 0 && podCpu > allocCpu - requestedCpu) lacks |= Insufficient.Cpu;
  if (podMemory > 0 && podMemory > allocMemory - requestedMemory) lacks |= Insufficient.Memory;
  return lacks;
}

/** Every reason the pod does not fit (fitsRequest reports them all); [] when it fits. */
export function fitReasons(i: FitInput): string[] {
  const lacks = insufficientResources(
    i.podCpu,
    i.podMemory,
    i.pods,
    i.allocPods,
    i.allocCpu,
    i.requestedCpu,
    i.allocMemory,
    i.requestedMemory,
  );
  const out: string[] = [];
  if (lacks & Insufficient.Pods) out.push(REASON_TOO_MANY_PODS);
  if (lacks & Insufficient.Cpu) out.push(REASON_INSUFFICIENT_CPU);
  if (lacks & Insufficient.Memory) out.push(REASON_INSUFFICIENT_MEMORY);
  return out;
}

/** Score kernel, one resource: the share of the node left free, 0 to 100 (leastRequestedScore). */
export function leastRequested(requested: number, capacity: number): number {
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
