// Types for start.mjs, so that the TypeScript end-to-end tests can use it.
import type { Kubeconfig } from '../cluster/kube.mjs';

/** tools/vpa/bin/recommender, built by tools/vpa/build.sh. */
export const RECOMMENDER: string;
/** tools/vpa/bin/admission-controller, built by tools/vpa/build.sh. */
export const ADMISSION_CONTROLLER: string;
/** tools/vpa/bin/updater, built by tools/vpa/build.sh. */
export const UPDATER: string;
/** The MutatingWebhookConfiguration the admission controller registers. */
export const WEBHOOK_CONFIG: string;
/** The VPA CRDs, copied from the module's deploy/vpa-v1-crd-gen.yaml. */
export const CRDS: string;

/** Installs the VPA CRDs and waits until they are Established; resolves with the names of those it created. */
export function installVpaCrds(kc: Kubeconfig, timeoutMs?: number): Promise<string[]>;

/** Deletes CRDs (those installVpaCrds created), and with them every object of theirs. */
export function uninstallVpaCrds(kc: Kubeconfig, names: string[]): Promise<void>;

export function freePort(): Promise<number>;

export interface RecommenderOptions {
  kubeconfig: string;
  prometheusUrl: string;
  /** The `job` label of the cAdvisor series; VPA's default 'kubernetes-cadvisor'; '' for none. */
  cadvisorJob?: string;
  /** VPA's --history-length, default '8d'. */
  historyLength?: string;
  /** VPA's --history-resolution, default '1h'. */
  historyResolution?: string;
  /** A range selector (the provider refuses an instant vector); default `kube_pod_labels[<historyLength>]`. */
  podLabelsMetric?: string;
  /** --recommender-interval, default '5s'. */
  interval?: string;
  /** --vpa-object-namespace: only this namespace's VPAs, pods and history. */
  namespace?: string;
  /** Where its output goes; default reports/vpa-recommender-<port>.log. */
  logFile?: string;
  startTimeoutMs?: number;
}

export function recommenderArgs(o: RecommenderOptions & { port: number }): string[];

/** One request the recommender sent to Prometheus, as the recording proxy saw it. */
export interface PrometheusQuery {
  path: string;
  params: Record<string, string>;
  /** Unix seconds when it arrived. */
  at: number;
}

export interface RecordingProxy {
  /** http://127.0.0.1:<port>, to give the client instead of the target. */
  url: string;
  queries: PrometheusQuery[];
  close(): Promise<void>;
}

/** A pass-through proxy to `target` that records every request's path and parameters. */
export function startRecordingProxy(target: string): Promise<RecordingProxy>;

export interface Recommender {
  args: string[];
  logFile: string;
  metricsUrl: string;
  pid: number | undefined;
  /** Grows as the recommender queries Prometheus (it reads the history once, at start). */
  queries: PrometheusQuery[];
  /** Finished main loops (vpa_recommender_execution_latency_seconds_count{step="total"}). */
  runs(): Promise<number>;
  log(): string;
  stop(): Promise<void>;
}

export function startRecommender(o: RecommenderOptions): Promise<Recommender>;

export interface AdmissionControllerOptions {
  kubeconfig: string;
  kc: Kubeconfig;
  /** --vpa-object-namespace: only this namespace's VPAs. */
  namespace: string;
  /** Where its output goes; default reports/vpa-admission-<port>.log. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface AdmissionController {
  args: string[];
  logFile: string;
  metricsUrl: string;
  /** Admission requests it answered for this resource ('Pod' or 'VPA'). */
  admissions(resource: 'Pod' | 'VPA'): Promise<number>;
  log(): string;
  /** Stops it and deletes the webhook configuration it registered. */
  stop(): Promise<void>;
}

/** Starts the real VPA admission controller, registered by URL on 127.0.0.1; resolves once registered. */
export function startAdmissionController(o: AdmissionControllerOptions): Promise<AdmissionController>;

export interface UpdaterOptions {
  kubeconfig: string;
  /** --vpa-object-namespace. */
  namespace: string;
  /** --updater-interval, default '5s'. */
  interval?: string;
  /** Where its output goes; default reports/vpa-updater-<port>.log. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface Updater {
  args: string[];
  logFile: string;
  metricsUrl: string;
  /** Loops it has finished. */
  loops(): Promise<number>;
  /** Pods it has evicted. */
  evicted(): Promise<number>;
  log(): string;
  stop(): Promise<void>;
}

/** Starts the real VPA updater on one namespace; resolves once its metrics answer. */
export function startUpdater(o: UpdaterOptions): Promise<Updater>;
