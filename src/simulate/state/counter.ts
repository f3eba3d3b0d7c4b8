/**
 * Counters: the number of pods a label selector (or a term-holding class) has on each node and in
 * each domain of the topology keys it is asked about, kept up to date as pods bind and unbind, so the
 * scheduler never rescans pods. Generic over what a pod class is, so this module depends on nothing.
 */
/** Pods on each node and in each domain of the tracked topology keys, for one set of pods. */
export class Counter<Member> {
  perNode: Int32Array;
  /** Indexed by key index; undefined for keys not tracked. */
  perDomain: (Int32Array | undefined)[] = [];
  keys: number[] = [];
  total = 0;
  /** For per-node keys under a hard constraint: hist[c] = existing nodes holding c pods. */
  hist: number[] | undefined;
  constructor(
    readonly id: number,
    readonly label: string,
    /** Whether pods of a class count here. */
    readonly selects: (cls: Member) => boolean,
    /** Holder counters: whether the term the counted pods hold selects a class. */
    readonly targets: ((cls: Member) => boolean) | undefined,
    /** Its per-node counts, zeroed, one slot per node the cluster has room for. */
    perNode: Int32Array,
    /**
     * PodTopologySpread's counts, which leave Terminating pods out (countPodsMatchSelector skips pods
     * with a deletionTimestamp); inter-pod affinity counts them, so the two never share a counter.
     */
    readonly spread = false,
  ) {
    this.perNode = perNode;
  }
}
