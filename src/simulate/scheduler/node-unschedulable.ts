import type { Toleration } from '../pod-spec.js';
import { tolerates } from './taint-toleration.js';

/** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint. */
export const UNSCHEDULABLE_TAINT = {
  key: 'node.kubernetes.io/unschedulable',
  value: '',
  effect: 'NoSchedule',
} as const;
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export function toleratesUnschedulable(tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => tolerates(t, UNSCHEDULABLE_TAINT));
}

/** Filter kernel: a cordoned node rejects a pod unless the pod tolerates the unschedulable taint. */
export function rejectsUnschedulable(nodeUnschedulable: number | boolean, podTolerates: boolean): boolean {
  return !!nodeUnschedulable && !podTolerates;
}

export function filterUnschedulable(
  nodeUnschedulable: boolean,
  tolerations: readonly Toleration[],
): string | null {
  return nodeUnschedulable && !toleratesUnschedulable(tolerations) ? REASON_UNSCHEDULABLE : null;
}
