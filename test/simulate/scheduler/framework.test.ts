// kube-scheduler's schedule_one.go (numFeasibleNodesToFind, FitError) and the "Scheduler Performance
// Tuning" page of the Kubernetes docs (percentageOfNodesToScore).
import { describe, expect, it } from 'vitest';
import {
  fitErrorMessage,
  numFeasibleNodesToFind,
  WEIGHTS,
} from '../../../src/simulate/scheduler/framework.js';

describe('percentageOfNodesToScore', () => {
  it('adaptive: 50% - nodes/125, at least 5% and at least 100 nodes; small clusters are scored whole', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(500)).toBe(230);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(10000)).toBe(500);
  });
  it('a configured percentage, and 100 = every node', () => {
    expect(numFeasibleNodesToFind(1000, 30)).toBe(300);
    expect(numFeasibleNodesToFind(1000, 100)).toBe(1000);
  });
});

describe('FitError message', () => {
  it('"0/N nodes are available: <count> <reason>, ..." with reasons sorted as strings', () => {
    const reasons = new Map([
      ["node(s) didn't match pod anti-affinity rules", 3],
      ['Insufficient cpu', 2],
      ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }', 1],
    ]);
    expect(fitErrorMessage(6, reasons)).toBe(
      "0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu, 3 node(s) didn't match pod anti-affinity rules.",
    );
  });
});

describe('default profile', () => {
  it('score weights as in pkg/scheduler/apis/config/v1/default_plugins.go', () => {
    expect(WEIGHTS).toEqual({
      TaintToleration: 3,
      NodeAffinity: 2,
      NodeResourcesFit: 1,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesBalancedAllocation: 1,
    });
  });
});
