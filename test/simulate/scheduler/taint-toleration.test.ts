// Cases from kube-scheduler's pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
// (TestTaintTolerationFilter, TestTaintTolerationScore) and the DefaultTolerationSeconds admission plugin.
import { describe, expect, it } from 'vitest';
import {
  countIntolerablePreferNoSchedule,
  filterTaints,
  normalizeTaintScores,
  unreachableEvictionSeconds,
} from '../../../src/simulate/scheduler/taint-toleration.js';
import type { Taint } from '../../../src/simulate/types.js';
import { tol } from './helpers.js';

const dedicated = (value: string, effect: Taint['effect'] = 'NoSchedule'): Taint => ({
  key: 'dedicated',
  value,
  effect,
});

describe('TaintToleration filter', () => {
  it("a pod having no tolerations can't be scheduled onto a node with nonempty taints", () => {
    expect(filterTaints([dedicated('user1')], [])).toBe('node(s) had untolerated taint {dedicated: user1}');
  });
  it('a pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', () => {
    expect(
      filterTaints([dedicated('user1')], [tol({ key: 'dedicated', value: 'user1', effect: 'NoSchedule' })]),
    ).toBeNull();
  });
  it("a pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", () => {
    expect(
      filterTaints([dedicated('user1')], [tol({ key: 'dedicated', value: 'user2', effect: 'NoSchedule' })]),
    ).toBe('node(s) had untolerated taint {dedicated: user1}');
  });
  it('a pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node', () => {
    expect(
      filterTaints(
        [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
        [tol({ key: 'foo', operator: 'Exists', effect: 'NoSchedule' })],
      ),
    ).toBeNull();
  });
  it("a pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node", () => {
    expect(
      filterTaints(
        [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
        [tol({ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' })],
      ),
    ).toBe('node(s) had untolerated taint {foo: bar}');
  });
  it('the pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule', () => {
    expect(
      filterTaints([{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], [tol({ key: 'foo', value: 'bar' })]),
    ).toBeNull();
  });
  it("the pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node", () => {
    expect(
      filterTaints(
        [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
        [tol({ key: 'dedicated', value: 'user2' })],
      ),
    ).toBeNull();
  });
});

describe('TaintToleration score', () => {
  it('default behaviour: no taints and tolerations → every node scores 100', () => {
    const scores = [0, 0];
    normalizeTaintScores(scores);
    expect(scores).toEqual([100, 100]);
  });
  it('the more intolerable taints a node has, the lower score it gets', () => {
    const taints = (n: number): Taint[] =>
      Array.from({ length: n }, (_, i) => ({
        key: `cpu-type-${i}`,
        value: 'arm64',
        effect: 'PreferNoSchedule' as const,
      }));
    const toleration = [tol({ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' })];
    const scores = [0, 1, 2].map((n) => countIntolerablePreferNoSchedule(taints(n), toleration));
    expect(scores).toEqual([0, 1, 2]);
    normalizeTaintScores(scores);
    expect(scores).toEqual([100, 50, 0]);
  });
  it('only taints and tolerations that have effect PreferNoSchedule are checked', () => {
    const node: Taint[] = [
      { key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' },
      { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
    ];
    expect(
      countIntolerablePreferNoSchedule(node, [
        tol({ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }),
      ]),
    ).toBe(1);
    expect(
      countIntolerablePreferNoSchedule(node, [
        tol({ key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }),
      ]),
    ).toBe(0);
  });
});

describe('eviction from an unreachable node (DefaultTolerationSeconds)', () => {
  it('waits 300 s by default', () => expect(unreachableEvictionSeconds([])).toBe(300));
  it("honours the pod's own toleration", () =>
    expect(
      unreachableEvictionSeconds([
        tol({
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 30,
        }),
      ]),
    ).toBe(30));
  it('never evicts a pod that tolerates every taint forever (DaemonSet style)', () =>
    expect(unreachableEvictionSeconds([tol({ operator: 'Exists' })])).toBe(Infinity));
});
