// Cases from kube-scheduler's pkg/scheduler/framework/plugins/noderesources/fit_test.go and
// least_allocated_test.go, and balanced_allocation_test.go.
import { describe, expect, it } from 'vitest';
import { balancedAllocationScore } from '../../../src/simulate/scheduler/balanced-allocation.js';
import { fitReasons, leastAllocatedScore } from '../../../src/simulate/scheduler/node-resources-fit.js';

const node = { allocCpu: 10, allocMemory: 20, allocPods: 32, requestedCpu: 0, requestedMemory: 0, pods: 0 };

describe('NodeResourcesFit filter', () => {
  it('no resources requested always fits', () =>
    expect(fitReasons({ ...node, podCpu: 0, podMemory: 0, requestedCpu: 10, requestedMemory: 20 })).toEqual(
      [],
    ));
  it('too many resources fails', () =>
    expect(fitReasons({ ...node, podCpu: 1, podMemory: 1, requestedCpu: 10, requestedMemory: 20 })).toEqual([
      'Insufficient cpu',
      'Insufficient memory',
    ]));
  it('one resource memory fits', () =>
    expect(fitReasons({ ...node, podCpu: 2, podMemory: 1, requestedCpu: 5, requestedMemory: 19 })).toEqual(
      [],
    ));
  it('one resource cpu fits', () =>
    expect(fitReasons({ ...node, podCpu: 2, podMemory: 2, requestedCpu: 5, requestedMemory: 19 })).toEqual([
      'Insufficient memory',
    ]));
  it('even without specified resources, predicate fails when there is no space for additional pod', () =>
    expect(fitReasons({ ...node, allocPods: 1, pods: 1, podCpu: 0, podMemory: 0 })).toEqual([
      'Too many pods',
    ]));
});

describe('NodeResourcesFit score (LeastAllocated)', () => {
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    expect([
      leastAllocatedScore(3000, 4000, 5000, 10000),
      leastAllocatedScore(3000, 6000, 5000, 10000),
    ]).toEqual([37, 50]);
  });
  it('resources requested, pods scheduled with resources', () => {
    // node1: 4000m / 10000, 3000m + 0 requested, pod 3000m/5000 — the k8s test's "resources requested" row.
    expect(leastAllocatedScore(6000, 10000, 5000, 20000)).toBe(Math.trunc((40 + 75) / 2));
  });
  it('requested over capacity scores 0 for that resource', () =>
    expect(leastAllocatedScore(5000, 4000, 0, 10000)).toBe(50));
});

describe('NodeResourcesBalancedAllocation score', () => {
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    expect([
      balancedAllocationScore(3000, 4000, 5000, 10000),
      balancedAllocationScore(3000, 6000, 5000, 10000),
    ]).toEqual([87, 100]);
  });
  it('fractions are capped at 1', () => expect(balancedAllocationScore(8000, 4000, 5000, 10000)).toBe(75));
  it('a resource the node has no allocatable of is left out: one fraction has no spread', () => {
    expect(balancedAllocationScore(3000, 0, 5000, 10000)).toBe(100);
    expect(balancedAllocationScore(3000, 4000, 5000, 0)).toBe(100);
    expect(balancedAllocationScore(0, 0, 0, 0)).toBe(100);
  });
});
