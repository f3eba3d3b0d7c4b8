/** What one side (the real control plane, or the simulator) says about a case. */

export interface WorkloadPlacement {
  /** `Kind/name`. */
  workload: string;
  desired: number;
  scheduled: number;
  pending: number;
  byNode: Record<string, number>;
  byZone: Record<string, number>;
}

export interface WorkloadEvictions {
  workload: string;
  /** Pods of the workload on the drained node when the drain began. */
  onNode: number;
  /** Evictions the first pass over the node let through (201) … */
  allowed: number;
  /** … and refused (429 by a PDB, 500 for a pod two PDBs select). */
  refused: number;
  /** Pending pods of the workload when the drain ended. */
  pendingAfter: number;
}

export interface DrainObservation {
  node: string;
  /** Workloads that had pods on the node. */
  workloads: WorkloadEvictions[];
  /** The drain could not evict every pod, however long it retried. */
  blocked: boolean;
}

/** How a workload came through the case's failure, in the simulator's terms (docs/simulate.md, Verdicts). */
export interface WorkloadOutcome {
  workload: string;
  verdict: 'ok' | 'degraded' | 'stuck' | 'outage';
  /** The PDB's minimum (the disruption controller's desiredHealthy), else ⌈desired / 2⌉. */
  floor: number;
  /** The lowest ready count from the failure until everything settled. */
  minReady: number;
  readyAfter: number;
  pendingAfter: number;
  /** What kube-scheduler (or the simulator) said about the Pending pods: shown, not compared. */
  pendingMessages?: string[];
}

export interface Observation {
  placement: WorkloadPlacement[];
  drain?: DrainObservation;
  /** Every workload after the failure (`lose`, `loseZone`, `rollout`), in manifest order. */
  outcomes?: WorkloadOutcome[];
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Adds one to `record[key]`. */
export function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** The record with its keys sorted, so that two records print (and compare) the same way. */
export function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
