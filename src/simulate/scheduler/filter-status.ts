/**
 * Filter results by the name of the plugin that gives them (kube-scheduler's framework.Status of a
 * Filter plugin), as small integers so the node loop and the reason counts stay in typed arrays.
 */

/**
 * Bits of a class's node-static filter results (StaticCache.fails): the plugins whose verdict on a
 * node does not change while the node exists, computed once per node and pod class.
 */
export const StaticFailure = {
  NodeName: 1,
  TaintToleration: 2,
  NodeAffinity: 4,
} as const;

/**
 * The filter plugin that rejected a node, first in the profile's order. The counted ones index the
 * reason strings of framework.ts (REASON_TEXT); TaintToleration names its taint and NodeResourcesFit
 * gives every insufficient resource, so those two are expanded when the reasons are counted.
 */
export const Rejection = {
  NodeUnschedulable: 0,
  NodeName: 1,
  /** TaintToleration on the unreachable: NoSchedule taint of a lost node. */
  TaintTolerationUnreachable: 2,
  NodeAffinity: 3,
  NodePorts: 4,
  NodeResourcesFitTooManyPods: 5,
  NodeResourcesFitCpu: 6,
  NodeResourcesFitMemory: 7,
  PodTopologySpreadMissingLabel: 8,
  PodTopologySpread: 9,
  InterPodAffinity: 10,
  InterPodAntiAffinity: 11,
  InterPodExistingAntiAffinity: 12,
  /** A static taint (the reason names it). */
  TaintToleration: 13,
  /** Pods, cpu or memory (the reasons list each). */
  NodeResourcesFit: 14,
} as const;
export type Rejection = (typeof Rejection)[keyof typeof Rejection];
/** The codes below this one are counted as they are; the two above are expanded (see Rejection). */
export const COUNTED_REJECTIONS = Rejection.TaintToleration;

/** The pod fits the node: no filter plugin rejects it. */
export const FITS = -1;
export type FilterCode = Rejection | typeof FITS;

/**
 * Whether removing pods can make the node fit: a plugin's Unschedulable status, as opposed to
 * UnschedulableAndUnresolvable (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, a missing
 * spread key and unmet pod affinity), which DefaultPreemption skips.
 */
export function isResolvable(code: FilterCode): boolean {
  return (
    code === Rejection.NodePorts ||
    code === Rejection.NodeResourcesFit ||
    code === Rejection.PodTopologySpread ||
    code === Rejection.InterPodAntiAffinity ||
    code === Rejection.InterPodExistingAntiAffinity
  );
}
