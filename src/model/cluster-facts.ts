/** What a live scan knows beyond the objects (absent in `check`, present in `scan`). */
export interface ClusterFacts {
  /** Kinds the scan listed successfully, by kind name ("Pod", "APIService", "CustomResourceDefinition", "Node", "Deployment", …). An absent object proves absence only when its kind is here (a 403 leaves it out). */
  listed: ReadonlySet<string>;
  /** When the objects were read, ms since the epoch (for "recently"). */
  now: number;
  /**
   * Set when the scan read one namespace only (`-n`): namespaced kinds in `listed` were listed there
   * and nowhere else, so their absence says nothing about the rest of the cluster (an add-on's
   * Deployment in another namespace). Cluster-scoped kinds are always listed whole.
   */
  namespace?: string;
}
