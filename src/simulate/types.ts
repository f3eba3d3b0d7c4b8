import type { Labels } from '../model/labels.js';

/** A node taint. */
export interface Taint {
  key: string;
  value: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One node of the topology, as the scheduler sees it. */
export interface NodeSpec {
  name: string;
  labels: Labels;
  taints: Taint[];
  /** Allocatable millicores. */
  cpu: number;
  /** Allocatable bytes. */
  memory: number;
  /** Allocatable pod slots. */
  pods: number;
  /** spec.unschedulable (cordoned). */
  unschedulable?: boolean;
}

/** A pod already running on a node before the workloads are placed (DaemonSet pods, other teams' pods). */
export interface BackgroundPod {
  name: string;
  namespace: string;
  node: string;
  labels: Labels;
  /** Millicores and bytes requested. */
  cpu: number;
  memory: number;
  /** spec.priority (what admission resolved); 0 when absent. */
  priority?: number;
  /**
   * It has a deletionTimestamp (Terminating): it still holds the node's resources and counts for
   * inter-pod (anti-)affinity, but not for topology spread.
   */
  terminating?: boolean;
}

/**
 * A pod of a simulated workload where it runs on a live cluster (its controller found through
 * ownerReferences): the simulation starts from these instead of placing the workload's pods itself.
 */
export interface PlacedPod {
  name: string;
  namespace: string;
  labels: Labels;
  /** Millicores and bytes requested (what it holds on its node). */
  cpu: number;
  memory: number;
  /** spec.priority; 0 when absent. */
  priority?: number;
  /** The id of its top-level controller (`namespace/Deployment/name`), or its own for a bare Pod. */
  workload: string;
  /** Its node; undefined while Pending (not bound). */
  node?: string;
  /** Its Ready condition is True (the disruption controller counts only these as healthy). */
  ready: boolean;
  /** It has a deletionTimestamp: no longer one of its controller's pods, still on its node. */
  terminating?: boolean;
  /** Of an older revision than its workload's template (a rollout in progress): its pod-template-hash / controller-revision-hash. */
  oldRevision?: string;
  /** kube-scheduler's message on its PodScheduled condition, while Pending. */
  pendingMessage?: string;
}

/** A live PodDisruptionBudget's status, as the disruption controller last wrote it. */
export interface LiveBudget {
  /** `namespace/PodDisruptionBudget/name`. */
  pdb: string;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  /** spec.unhealthyPodEvictionPolicy (IfHealthyBudget when unset). */
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

/** Where a live cluster's simulated workloads run now, and its PDBs' status. */
export interface LivePlacement {
  /** Ids of the workloads that start from `pods` (the others are placed by the simulator). */
  workloads: string[];
  /** Their current revision (pod-template-hash, controller-revision-hash), when known. */
  revisions: Record<string, string>;
  pods: PlacedPod[];
  budgets: LiveBudget[];
}

export interface Topology {
  nodes: NodeSpec[];
  background: BackgroundPod[];
  /** A live cluster's placement of the simulated workloads; absent: they are placed from scratch. */
  live?: LivePlacement;
}

export type Verdict = 'ok' | 'degraded' | 'stuck' | 'outage';
export const VERDICT_RANK: Record<Verdict, number> = { ok: 0, degraded: 1, stuck: 2, outage: 3 };

export type ScenarioKind = 'placement' | 'node-loss' | 'zone-loss' | 'drain' | 'rollout' | 'upgrade';
export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  'placement',
  'node-loss',
  'zone-loss',
  'drain',
  'rollout',
  'upgrade',
];

/**
 * A scenario kind (every node, zone or workload it applies to), or one node loss, zone loss or drain
 * by name: `node-loss:<node>`, `zone-loss:<zone>`, `drain:<node>`.
 */
export type ScenarioSelector =
  ScenarioKind | `node-loss:${string}` | `zone-loss:${string}` | `drain:${string}`;

export interface SimOptions {
  /**
   * Scenarios to run (placement always runs); all by default. A kind runs for every node / zone;
   * `node-loss:<node>`, `zone-loss:<zone>` and `drain:<node>` run only the named ones (names the
   * topology does not have produce no scenario).
   */
  scenarios?: readonly ScenarioSelector[];
  /** Place pods to maximise co-location under the hard constraints only. */
  worstCase?: boolean;
  /** `replace` (a new node joins, the old one is drained and removed) or `in-place` (drain and return). */
  upgradeMode?: 'replace' | 'in-place';
  /** Overrides every workload's floor: a count, or a percentage of desired ("50%"). */
  minAvailable?: number | string;
  /** kube-scheduler's percentageOfNodesToScore; 0 = adaptive (the default). */
  percentageOfNodesToScore?: number;
  /** Seed of the tie-breaking random numbers. */
  seed?: number;
  /** Default namespace of objects that name none (already resolved by the loader). */
  namespace?: string;
  /**
   * The target Kubernetes version: a PDB or autoscaler on an apiVersion its API server no longer serves
   * protects and scales nothing, as `check` judges it. Unset (a live cluster's objects): all count.
   */
  kubeVersion?: string;
  /**
   * Runs every `count`-th node loss, zone loss, drain and rollout, starting at `index` (placement and the
   * upgrade run in shard 0). Shards are independent (each scenario starts from the same placement), so
   * they can run in parallel and be merged with `mergeReports`.
   */
  shard?: { index: number; count: number };
  /**
   * Makes and schedules every Pending pod one by one instead of counting the ones that would fail
   * the same way (SimContext.placeMany): the same report, slower. For tests that prove the two equal.
   */
  placeEveryPod?: boolean;
}

export interface PlacementResult {
  workload: string;
  desired: number;
  scheduled: number;
  pending: number;
  byZone: Record<string, number>;
  byNode: Record<string, number>;
  /** kube-scheduler's message for each distinct reason pods stayed Pending. */
  pendingReasons: string[];
}

export interface WorkloadOutcome {
  workload: string;
  verdict: Verdict;
  desired: number;
  floor: number;
  minReady: number;
  readyAfter: number;
  pendingAfter: number;
  /** `namespace/PodDisruptionBudget/name` of the PDB that blocked an eviction. */
  blockedBy: string | null;
  reason: string;
}

export interface ScenarioResult {
  id: string;
  kind: ScenarioKind;
  /** Workloads the scenario touched; those not listed kept every replica ready. */
  workloads: WorkloadOutcome[];
}

export interface WorkloadSummary {
  workload: string;
  verdict: Verdict;
  /** The first scenario that produced the worst verdict. */
  scenario: string | null;
  reason: string;
}

export interface SimReport {
  topology: { nodes: number; zones: string[] };
  placement: PlacementResult[];
  scenarios: ScenarioResult[];
  /** Worst verdict per workload, in input order. */
  workloads: WorkloadSummary[];
  summary: { workloads: number; ok: number; degraded: number; outage: number; stuck: number };
  /** Wall times of the phases (benchmarks); not part of the JSON output. */
  stats?: { setupMs: number; placementMs: number; scenariosMs: number; pods: number };
  /** Zones × nodes × pods of each workload after the initial placement (for the map). */
  map: {
    zone: string;
    nodes: {
      name: string;
      pods: Record<string, number>;
      cpu: number;
      memory: number;
      usedCpu: number;
      usedMemory: number;
    }[];
  }[];
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
