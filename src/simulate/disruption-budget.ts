/**
 * The disruption controller's arithmetic: how many evictions a PodDisruptionBudget allows, from the
 * workloads it selects. Read by the drain scenario and by DefaultPreemption (through SimContext).
 */
import { scaledValue } from '../model/intstr.js';
import type { K8sObject } from '../model/types.js';
import type { LabelSelector } from '../model/labels.js';
import type { LiveBudget } from './types.js';

export interface PdbInfo {
  object: K8sObject;
  id: string;
  selector: LabelSelector;
  minAvailable: unknown;
  maxUnavailable: unknown;
  workloads: number[];
  /** spec.unhealthyPodEvictionPolicy: AlwaysAllow lets not-Ready pods be evicted whatever the budget. */
  unhealthyPolicy: 'IfHealthyBudget' | 'AlwaysAllow';
  /**
   * The live status the disruption controller wrote, and how many of its pods the simulation counted
   * Ready at the start: the budget moves from that status by the change in Ready pods.
   */
  live?: LiveBudget & { readyAtStart: number };
}

/** What the budget needs of one workload the PDB selects. */
export interface BudgetMember {
  /** Its Ready pods. */
  ready: number;
  /** Its live pods (scheduled or Pending). */
  pods: number;
  /** A controller scales it (false for bare Pods). */
  replaceable: boolean;
  desired: number;
}

export interface DisruptionBudget {
  allowed: number;
  healthy: number;
  desiredHealthy: number;
  /** The live status as the disruption controller wrote it, unchanged by the simulation. */
  fromStatus?: true;
}

/**
 * A PDB's disruptionsAllowed as the disruption controller computes it (kube-controller-manager,
 * pkg/controller/disruption/disruption.go: getExpectedPodCount, getExpectedScale, updatePdbStatus).
 * The expected count is the pods' controllers' scale for maxUnavailable and a percentage
 * minAvailable (bare Pods have no controller: they are skipped, with an UnmanagedPods event), the
 * number of selected pods for an integer minAvailable, and 0 when the PDB sets neither; while it is 0
 * the budget allows nothing, however many pods are healthy.
 */
export function disruptionBudget(pdb: PdbInfo, selected: readonly BudgetMember[]): DisruptionBudget {
  let healthy = 0;
  let pods = 0;
  let scale = 0;
  for (const wl of selected) {
    healthy += wl.ready;
    pods += wl.pods;
    if (wl.replaceable) scale += wl.desired;
  }
  if (pdb.live) {
    // On a live cluster the Eviction API reads the status the disruption controller wrote: it is the
    // budget until the simulation changes how many of the PDB's pods are Ready, then the controller's
    // arithmetic moves it by that change (pods the PDB selects that the simulator does not model stay
    // counted as the status counts them).
    const live = pdb.live;
    if (healthy === live.readyAtStart)
      return {
        allowed: live.disruptionsAllowed,
        healthy: live.currentHealthy,
        desiredHealthy: live.desiredHealthy,
        fromStatus: true,
      };
    const now = live.currentHealthy + healthy - live.readyAtStart;
    return {
      allowed: live.expectedPods <= 0 ? 0 : Math.max(0, now - live.desiredHealthy),
      healthy: now,
      desiredHealthy: live.desiredHealthy,
    };
  }
  const set = (v: unknown): boolean => v !== undefined && v !== null;
  let expected = 0;
  let desiredHealthy = 0;
  if (set(pdb.maxUnavailable)) {
    expected = scale;
    desiredHealthy = Math.max(0, scale - (scaledValue(pdb.maxUnavailable, scale, true) ?? 0));
  } else if (set(pdb.minAvailable)) {
    expected = typeof pdb.minAvailable === 'number' ? pods : scale;
    desiredHealthy =
      typeof pdb.minAvailable === 'number'
        ? pdb.minAvailable
        : (scaledValue(pdb.minAvailable, scale, true) ?? 0);
  }
  const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desiredHealthy);
  return { allowed, healthy, desiredHealthy };
}
