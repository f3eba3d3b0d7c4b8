/**
 * Measured usage of containers over time: the contract between the usage sources (the edges that
 * read Prometheus or the metrics API: src/sources/prometheus.ts, src/sources/metrics-api.ts) and
 * the right-sizing core (src/rightsize/), which turns it into requests with the VPA recommender's
 * algorithm. Types only.
 */

/** One measurement. CPU: cores, the rate over the step that ends at `time`. Memory: bytes. */
export interface UsageSample {
  /** Unix time in seconds. */
  readonly time: number;
  readonly value: number;
}

/** A container killed for memory: VPA bumps its memory by the amount it was using then. */
export interface OomKill {
  /** Unix time in seconds (the termination's finishedAt). */
  readonly time: number;
  /** The memory the container had when killed: its memory request then (what VPA's observer takes). */
  readonly memoryBytes: number;
}

/** The history of one container of one pod, samples in time order. */
export interface ContainerUsage {
  readonly pod: string;
  readonly container: string;
  readonly cpu: readonly UsageSample[];
  readonly memory: readonly UsageSample[];
  readonly ooms: readonly OomKill[];
}

/** The workload whose pods are measured. */
export interface WorkloadRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** What a source is asked for one workload: its pods are those its selector matches. */
export interface UsageQuery {
  readonly workload: WorkloadRef;
  /** The workload's pod selector, as matchLabels (matchExpressions already folded in or rejected). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** The containers its pod template has today (to tell a renamed container from a new one). */
  readonly containers: readonly string[];
}

/** The time range read, in unix seconds, and the step between samples. */
export interface UsageWindow {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** What a source found for one workload: every pod's containers, and one line per problem. */
export interface WorkloadUsage {
  readonly workload: WorkloadRef;
  readonly containers: readonly ContainerUsage[];
  /** One line each, e.g. "no samples of container_cpu_usage_seconds_total for its pods". */
  readonly problems: readonly string[];
}

/** A place usage history comes from. */
export interface UsageSource {
  /** 'prometheus' (history) or 'metrics-api' (samples taken now, over a short window). */
  readonly kind: 'prometheus' | 'metrics-api';
  /** A short window: said in every report, since VPA's defaults expect days of history. */
  readonly shortWindow: boolean;
  fetch(queries: readonly UsageQuery[], window: UsageWindow): Promise<readonly WorkloadUsage[]>;
}
