/**
 * Per-run scratch of the scheduling cycle, as kube-scheduler's CycleState: what one cycle computes and
 * the next overwrites (feasible nodes, per-plugin scores, domain marks, reason counts). One per
 * ClusterState, so two simulations never share buffers; sized to the node count on demand.
 */
import { COUNTED_REJECTIONS } from './filter-status.js';

export const SPREAD_TABLE_SIZE = 256;

const NO_NODES: Int32Array = new Int32Array(0);

/**
 * What the Filter kernels read on every node, from this cycle's PreFilter: the node-static failures
 * of the pod's class, its tolerations of the dynamic taints, and for each kind of term how many the
 * pod has, the first one's domains per node and counts per domain, and all of them (from the second
 * on, read by the helpers). One object per CycleState, refilled each cycle, with the same fields of
 * the same types every time, so the node loop that reads it is compiled once.
 */
export class FilterInput {
  staticFailures: Uint8Array = new Uint8Array(0);
  toleratesUnschedulable = false;
  toleratesUnreachable = false;
  /** PodTopologySpread, DoNotSchedule constraints. */
  hardSpreadTerms = 0;
  spread0Domains: Int32Array = NO_NODES;
  spread0Counts: Int32Array = NO_NODES;
  spread0Limit = 0;
  hardSpreadDomains: Int32Array[] = [];
  hardSpreadCounts: Int32Array[] = [];
  hardSpreadLimits: number[] = [];
  /** InterPodAffinity: the existing pods' required anti-affinity terms that select the pod. */
  existingAntiTerms = 0;
  existingAnti0Domains: Int32Array = NO_NODES;
  existingAnti0Counts: Int32Array = NO_NODES;
  existingAntiAffinityDomains: Int32Array[] = [];
  existingAntiAffinityCounts: Int32Array[] = [];
  /** InterPodAffinity: the pod's required affinity terms (none for the first pod of a group). */
  affinityTerms = 0;
  affinity0Domains: Int32Array = NO_NODES;
  affinity0Counts: Int32Array = NO_NODES;
  requiredAffinityDomains: Int32Array[] = [];
  requiredAffinityCounts: Int32Array[] = [];
  /** InterPodAffinity: the pod's required anti-affinity terms. */
  antiTerms = 0;
  anti0Domains: Int32Array = NO_NODES;
  anti0Counts: Int32Array = NO_NODES;
  requiredAntiAffinityDomains: Int32Array[] = [];
  requiredAntiAffinityCounts: Int32Array[] = [];
}

export class CycleState {
  /** PreFilter's output for the node loop. */
  readonly filter = new FilterInput();
  /** The feasible nodes of this cycle, in the order Filter found them. */
  feasible = new Int32Array(0);
  /** Raw InterPodAffinity scores per feasible node. */
  interPodAffinity = new Float64Array(0);
  /** One plugin's raw scores per feasible node, normalized in place (taints, node affinity, spread). */
  pluginScores = new Float64Array(0);
  /** The weighted sum of every score plugin per feasible node. */
  total = new Float64Array(0);
  /** PodTopologySpread: feasible nodes missing a key of the pod's own constraints score 0. */
  spreadIgnored = new Uint8Array(0);
  /** PodTopologySpread: each soft constraint's matching counts per domain. */
  softCounts: Int32Array[] = [];
  /** PodTopologySpread: NormalizeScore of each raw score in a small range, computed once. */
  spreadTable = new Float64Array(SPREAD_TABLE_SIZE);
  /** Filter reasons counted by Rejection code when no node fits. */
  reasonCounts = new Int32Array(COUNTED_REJECTIONS);
  private domainMarks = new Int32Array(0);
  private domainMarks2 = new Int32Array(0);
  stamp = 0;
  stamp2 = 0;

  /** A marker array of at least n slots; a slot is marked when it equals `stamp` (fresh each call). */
  marks(n: number): Int32Array {
    if (this.domainMarks.length < n)
      this.domainMarks = new Int32Array(Math.max(n, this.domainMarks.length * 2));
    this.stamp++;
    return this.domainMarks;
  }

  /** A second marker array, for a second constraint counted in the same pass. */
  marks2(n: number): Int32Array {
    if (this.domainMarks2.length < n)
      this.domainMarks2 = new Int32Array(Math.max(n, this.domainMarks2.length * 2));
    this.stamp2++;
    return this.domainMarks2;
  }

  ensure(n: number): void {
    if (this.feasible.length >= n) return;
    this.feasible = new Int32Array(n);
    this.interPodAffinity = new Float64Array(n);
    this.pluginScores = new Float64Array(n);
    this.total = new Float64Array(n);
    this.spreadIgnored = new Uint8Array(n);
  }
}
