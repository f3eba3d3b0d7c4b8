/**
 * Pod classes: one per pod template and revision, with the spec the scheduler reads, the counters of
 * its spread and affinity terms, and the caches a scheduling cycle fills (node-static filter results,
 * PreFilter arrays, resource scores); and the pods, each an instance of its class.
 */
import type { LabelSelector, Labels } from '../../model/labels.js';
import type { PodSchedSpec } from '../pod-spec.js';
import { toleratesUnschedulable } from '../scheduler/node-unschedulable.js';
import {
  toleratesAny,
  unreachableEvictionSeconds,
  UNREACHABLE_TAINT_KEY,
} from '../scheduler/taint-toleration.js';
import type { Taint } from '../types.js';
import type { Counter } from './counter.js';

export const UNREACHABLE_NOSCHEDULE: Taint = { key: UNREACHABLE_TAINT_KEY, value: '', effect: 'NoSchedule' };

/** A counter of pod classes. */
export type ClassCounter = Counter<PodClass>;

export interface PreparedTerm {
  counter: ClassCounter;
  key: number;
}
export interface WeightedTerm extends PreparedTerm {
  weight: number;
}
export interface PreparedSpread extends PreparedTerm {
  maxSkew: number;
  minDomains: number;
  selfMatch: boolean;
  honorAffinity: boolean;
  honorTaints: boolean;
}

/** Node-static filter results and scores, shared by classes with the same node-selection spec. */
export interface StaticCache {
  /** StaticFailure bits per node (0: no node-static filter plugin rejects it). */
  fails: Uint8Array;
  taintReasons: Map<number, string>;
  /** Intolerable PreferNoSchedule taints per node, or undefined when no node has any. */
  preferNoSchedule: Int32Array | undefined;
  /** Preferred node affinity score per node, or undefined when the pod has none. */
  nodeAffinity: Int32Array | undefined;
  computed: number;
}

/**
 * A pod class's PreFilter arrays, rebuilt when the counters change: for each kind of term, the
 * domain of every node under the term's topology key (-1: the node lacks the key) and the matching
 * pods per domain, so a node's filter or score is two array reads per term.
 */
export interface Prepared {
  epoch: number;
  holderVersion: number;
  /** Hard spread constraints (DoNotSchedule): keys, domains per node, and per cycle the counts and skew limit. */
  hardSpreadKeys: number[];
  hardSpreadDomains: Int32Array[];
  hardSpreadCounts: Int32Array[];
  hardSpreadLimits: number[];
  /** Soft spread constraints: keys, domains, maxSkew - 1, and the counters' counts when no policy narrows them. */
  softSpreadKeys: number[];
  softSpreadDomains: Int32Array[];
  softSpreadMaxSkewsMinusOne: number[];
  softSpreadSharedCounts: (Int32Array | undefined)[];
  softSpreadWeights: Float64Array;
  /** Preferred pod (anti-)affinity terms of the pod and of the existing pods that select it. */
  preferredTermDomains: Int32Array[];
  preferredTermCounts: Int32Array[];
  preferredTermWeights: number[];
  /** The existing pods' required anti-affinity terms that select this pod. */
  existingAntiAffinityDomains: Int32Array[];
  existingAntiAffinityCounts: Int32Array[];
  /** The pod's required affinity and anti-affinity terms. */
  requiredAffinityDomains: Int32Array[];
  requiredAffinityCounts: Int32Array[];
  requiredAntiAffinityDomains: Int32Array[];
  requiredAntiAffinityCounts: Int32Array[];
}

export class PodClass {
  counters: ClassCounter[] = [];
  hardSpread: PreparedSpread[] = [];
  softSpread: PreparedSpread[] = [];
  /** The soft constraints are the system defaults (not all topology keys required). */
  systemDefaulted = false;
  reqAffinity: PreparedTerm[] = [];
  reqAnti: PreparedTerm[] = [];
  preferred: WeightedTerm[] = [];
  selfMatchesAllAffinity = false;
  existingAnti: PreparedTerm[] = [];
  existingPreferred: WeightedTerm[] = [];
  existingVersion = -1;
  /** Filter arrays prepared for the scheduler, valid for one state epoch. */
  prep: Prepared | undefined;
  /** The last time no node fitted: still true while nothing was freed and its spread / affinity counts are unchanged. */
  failMemo: { freedEpoch: number; counts: number; message: string; reasons: Map<string, number> } | undefined;
  /** Keys of the affinity terms this class's pods hold (for holder counters). */
  holds = new Set<string>();
  /** Pods of this class bound to a node, in no order (a pod knows its slot: `boundAt`). */
  bound: SimPod[] = [];
  readonly tolUnschedulable: boolean;
  readonly tolUnreachable: boolean;
  /** Seconds the pod stays bound to an unreachable node (Infinity: forever). */
  readonly evictionSeconds: number;
  readonly bestEffort: boolean;
  readonly hasRequiredNodeAffinity: boolean;
  cache!: StaticCache;
  /** The resource score cache of its request; null when over the cap, undefined until first scored. */
  resScores: ResourceScores | null | undefined = undefined;
  /** The workload's own pods (all revisions), for --worst-case co-location. */
  own: ClassCounter | undefined;
  /** The pod's priority (its PriorityClass's value; 0 without one). */
  priority = 0;
  /** preemptionPolicy Never: the pod waits for room instead of preempting. */
  preemptNever = false;
  /** The state (freedEpoch, binds) when preemption last found no victims for it: still none until it moves. */
  noVictimsAt: { freed: number; binds: number } | undefined;
  constructor(
    readonly id: number,
    readonly workload: number,
    readonly namespace: string,
    readonly labels: Labels,
    readonly spec: PodSchedSpec,
    readonly revision: string,
  ) {
    this.tolUnschedulable = toleratesUnschedulable(spec.tolerations);
    this.tolUnreachable = toleratesAny(spec.tolerations, UNREACHABLE_NOSCHEDULE);
    this.evictionSeconds = unreachableEvictionSeconds(spec.tolerations);
    this.bestEffort = spec.cpu === 0 && spec.memory === 0;
    this.hasRequiredNodeAffinity =
      Object.keys(spec.nodeSelector).length > 0 || spec.requiredNodeTerms !== undefined;
  }
}

export interface SimPod {
  id: number;
  cls: PodClass;
  /** -1 while Pending. */
  node: number;
  /** Index of its workload, -1 for background pods. */
  workload: number;
  /** Deleted (evicted, scaled down). */
  gone: boolean;
  /** Its index in `cls.bound` while bound. */
  boundAt: number;
  /**
   * Deleted but still on its node (Terminating): no kubelet confirms the deletion on a lost node. It
   * holds the node's resources and counts for inter-pod affinity, but not for topology spread.
   */
  terminating: boolean;
  /** The how-manieth pod of its workload (a StatefulSet's placement pods: their ordinals). */
  ordinal: number;
  /** A live pod bound but not Ready (its Ready condition is not True): not healthy for its PDB. */
  unready?: boolean;
}

export interface ClassInit {
  workload: number;
  namespace: string;
  labels: Labels;
  spec: PodSchedSpec;
  revision: string;
  /** System default spreading selects pods with this selector (Service ∧ owner); undefined: no default spreading. */
  defaultSelector: LabelSelector | undefined;
  /** The workload's own pods, across revisions. */
  ownSelector: LabelSelector | undefined;
  priority?: number;
  preemptNever?: boolean;
}

/**
 * The NodeResourcesFit + BalancedAllocation score of one pod request on each node, kept until the
 * node's requests change (its `resVersion` moves): the two plugins' four divisions per node are a
 * large share of a cycle's scoring, and most nodes are unchanged between cycles.
 */
export interface ResourceScores {
  /** The node's `resVersion` when its score was stored (-1: never). */
  version: Int32Array;
  score: Float64Array;
}
