// Cases from kube-scheduler's pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go.
import { describe, expect, it } from 'vitest';
import {
  filterUnschedulable,
  REASON_UNSCHEDULABLE,
} from '../../../src/simulate/scheduler/node-unschedulable.js';
import { tol } from './helpers.js';

describe('NodeUnschedulable', () => {
  it('lets pods onto a schedulable node', () => {
    expect(filterUnschedulable(false, [])).toBeNull();
  });
  it('rejects pods from a cordoned node', () => {
    expect(filterUnschedulable(true, [])).toBe(REASON_UNSCHEDULABLE);
    expect(REASON_UNSCHEDULABLE).toBe('node(s) were unschedulable');
  });
  it('admits a pod that tolerates node.kubernetes.io/unschedulable:NoSchedule', () => {
    const t = tol({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    expect(filterUnschedulable(true, [t])).toBeNull();
  });
});
