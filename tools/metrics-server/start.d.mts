// Types for start.mjs, so that the TypeScript end-to-end tests can use it.

/** A usage: a constant quantity ("250m", "300Mi", 0.25) or a kwok CEL expression. */
export type UsageValue = string | number | { expression: string };
/** Container name (or '*', any other container) to its CPU and memory usage. */
export type ContainerUsages = Record<string, { cpu?: UsageValue; memory?: UsageValue }>;

export interface KwokUsageObject {
  apiVersion: 'kwok.x-k8s.io/v1alpha1';
  kind: 'ResourceUsage' | 'ClusterResourceUsage';
  metadata: { name: string; namespace?: string };
  spec: object;
}

export const METRICS_SERVER: string;
export const API_SERVICE: string;
export const SERVICE: { namespace: string; name: string };
export const METRICS_PATH_ANNOTATION: string;
export function metricsServerBuilt(): boolean;
export function metricsPathAnnotation(node: string): Record<string, string>;
export function podUsage(o: { namespace: string; pod: string; containers: ContainerUsages }): KwokUsageObject;
export function clusterUsage(o: {
  name: string;
  namespaces?: string[];
  pods?: string[];
  containers: ContainerUsages;
}): KwokUsageObject;

export interface StartOptions {
  /** The cluster's admin kubeconfig (cluster:up's). */
  kubeconfig: string;
  /** ResourceUsage / ClusterResourceUsage objects created before metrics-server starts; stop() deletes them. */
  usages?: KwokUsageObject[];
  /** kwok's default ClusterResourceUsage from pod annotations kwok.x-k8s.io/usage-{cpu,memory}; default true. */
  usageFromAnnotations?: boolean;
  /** metrics-server's --metric-resolution in seconds (its minimum, 10, by default). */
  metricResolutionSeconds?: number;
  /** How long to wait for metrics-server and then the APIService to be Available; default 90 s. */
  readyTimeoutMs?: number;
  binary?: string;
}

export interface RunningMetricsServer {
  port: number;
  /** metrics-server's output; kept after stop(). */
  logFile: string;
  /** Creates or replaces usage objects; stop() deletes them. */
  applyUsages(objects: KwokUsageObject[]): Promise<void>;
  /** Deletes the APIService (first), its Service and the usage objects, and ends the process. */
  stop(): Promise<void>;
}

export function startMetricsServer(options: StartOptions): Promise<RunningMetricsServer>;
