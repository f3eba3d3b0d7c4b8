// Types for series.mjs, so that the TypeScript tests and benchmarks can use it.

export const DEFAULT_STEP_SECONDS: number;
/** `kubernetes-cadvisor`: the VPA recommender's default --prometheus-cadvisor-job-name. */
export const DEFAULT_CADVISOR_JOB: string;
export const DEFAULT_KSM_JOB: string;
export const KSM_INSTANCE: string;

export type SeriesType = 'counter' | 'gauge';

export interface Family {
  /** The OpenMetrics family name (a counter's without `_total`). */
  family: string;
  /** The metric name as stored and queried. */
  name: string;
  type: SeriesType;
  help: string;
}
export const FAMILIES: readonly Family[];

/** Usage over the window: cores for CPU, bytes for memory. `jitter` is relative Gaussian noise (0.1 = 10 %). */
export type Shape =
  | { kind: 'steady'; mean: number; jitter?: number }
  | {
      kind: 'spiky';
      base: number;
      peak: number;
      /** Expected spikes a day (default 4). */
      spikesPerDay?: number;
      /** How long a spike lasts (default 10). */
      spikeMinutes?: number;
      jitter?: number;
    }
  /** Linear from `from` at the start of the window to `to` at its end. */
  | { kind: 'growing'; from: number; to: number; jitter?: number }
  /** A day's cosine between `low` and `high`, highest at `peakHour` UTC (default 14). */
  | { kind: 'daily'; low: number; high: number; peakHour?: number; jitter?: number }
  /**
   * Memory only: climbs from `from` to `limit` in `climbMinutes` (default 120); at the limit the
   * container is OOM-killed and restarts (restarts_total + 1, last_terminated_reason OOMKilled, the
   * CPU counter starts again from 0). The memory limit defaults to `limit`.
   */
  | { kind: 'oom'; from: number; limit: number; climbMinutes?: number };

export interface ContainerSpec {
  name: string;
  cpu: Shape;
  memory: Shape;
  image?: string;
  /** cpu in cores, memory in bytes, as kube-state-metrics reports them. */
  requests?: { cpu?: number; memory?: number };
  limits?: { cpu?: number; memory?: number };
  /**
   * The container is called `renamedTo` from `renameAt` (fraction of the window, default 0.5) on: a
   * new pod template, so every pod is replaced by one of a new ReplicaSet at that point.
   */
  renamedTo?: string;
  renameAt?: number;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  /** Default Deployment (pods `<name>-<rs hash>-<suffix>`); a StatefulSet's are `<name>-<ordinal>`. */
  kind?: 'Deployment' | 'StatefulSet';
  replicas?: number;
  /** Pod labels (kube_pod_labels' label_<k>); `app: <name>` is always there. */
  labels?: Record<string, string>;
  containers: ContainerSpec[];
  /** Fractions of the window (0..1) at which every pod is replaced by a new one of the same template. */
  churn?: number[];
  /** Nodes the pods are spread over (kube_pod_info's node, cAdvisor's instance). */
  nodes?: string[];
}

export interface Grid {
  startMs: number;
  /** The last point, a multiple of the step. */
  endMs: number;
  stepMs: number;
  count: number;
}

export interface WindowOptions {
  /** The window's end (default now), rounded down to the step. */
  end?: Date | number | string;
  /** Its length (default 8, the VPA recommender's history length). */
  days?: number;
  /** Default 60. */
  stepSeconds?: number;
}

export interface SeriesOptions extends WindowOptions {
  /** Overrides end/days/stepSeconds. */
  grid?: Grid;
  /** Default 1. */
  seed?: number | string;
  /** cAdvisor's job label (default `kubernetes-cadvisor`). */
  cadvisorJob?: string;
  /** kube-state-metrics' job label (default `kube-state-metrics`). */
  ksmJob?: string;
  /** Also the pod cgroup's series (container=""), as cAdvisor exports them (default true). */
  podCgroup?: boolean;
}

export interface Series {
  name: string;
  family: string;
  type: SeriesType;
  help: string;
  labels: Record<string, string>;
  startMs: number;
  stepMs: number;
  /** One per grid point; NaN where there is no sample (the pod was not alive). */
  values: Float64Array;
  /** CPU series only: the cores each point's counter increase stands for (what rate() returns). */
  cores?: Float64Array;
}

export function windowGrid(options?: WindowOptions): Grid;
export function randomStream(seed: number | string, key: string): () => number;
export function seriesOfWorkload(workload: WorkloadSpec, options?: SeriesOptions): Series[];
export function generateSeries(workloads: WorkloadSpec[], options?: SeriesOptions): Series[];

export type ShapeName = 'steady' | 'spiky' | 'growing' | 'daily' | 'oom';
export function workloadsOfShapes(
  count: number,
  options?: {
    shapes?: ShapeName[];
    /** Per pod (default 1). */
    containers?: number;
    namespace?: string;
    prefix?: string;
    seed?: number | string;
  },
): WorkloadSpec[];

export function writeOpenMetrics(series: Iterable<Series>, write: (chunk: string) => void): void;
export function toOpenMetrics(series: Iterable<Series>): string;
/** Streams the OpenMetrics file of the workloads, one family at a time; returns the grid used. */
export function writeOpenMetricsFile(path: string, workloads: WorkloadSpec[], options?: SeriesOptions): Grid;
