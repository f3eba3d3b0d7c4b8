/**
 * The PromQL that reads usage history the way the VPA recommender's Prometheus history provider
 * does (k8s.io/autoscaler/vertical-pod-autoscaler v1.8.1, pkg/recommender/input/history):
 *   CPU:    rate(<cpu metric>{<job>, pod=~".+", container!="POD", container!=""}[<resolution>])
 *   memory: <memory metric>{same selector}
 * both as range queries over the history at a step of <resolution>; pod labels from the last sample
 * of the pod-labels metric. kubeha adds a namespace and pod=~"a|b" to the selector so that each
 * query reads only the pods of the workloads asked (the values are the same: the selector only
 * drops series). Pure.
 */

/** Every knob of the queries. Defaults: VPA's, except the labels that cAdvisor and kube-state-metrics use today. */
export interface UsageQueryNames {
  /** VPA --history-cpu-metric. */
  readonly cpuMetric: string;
  /** VPA --history-memory-metric. */
  readonly memoryMetric: string;
  /**
   * VPA --prometheus-cadvisor-job-name. VPA's default is "kubernetes-cadvisor"; kubeha's is none
   * (any job), since kube-prometheus names cAdvisor's job "kubelet" and most setups differ.
   */
  readonly cadvisorJob: string | undefined;
  /** VPA --container-namespace-label / --container-pod-name-label / --container-name-label. */
  readonly containerNamespaceLabel: string;
  readonly containerPodNameLabel: string;
  readonly containerNameLabel: string;
  /**
   * The metric whose series carry pod labels: VPA --metric-for-pod-labels (VPA's default is
   * up{job="kubernetes-pods"}; kube-state-metrics' kube_pod_labels is what clusters have today).
   */
  readonly podLabelsMetric: string;
  /** VPA --pod-label-prefix (VPA: "pod_label_"; kube-state-metrics: "label_"). */
  readonly podLabelPrefix: string;
  /** VPA --pod-namespace-label / --pod-name-label (kube-state-metrics: namespace, pod). */
  readonly podNamespaceLabel: string;
  readonly podNameLabel: string;
  /** kube-state-metrics' series for OOM kills (VPA reads these from pod updates, not Prometheus). */
  readonly lastTerminatedReasonMetric: string;
  readonly restartsMetric: string;
  readonly requestsMetric: string;
}

export const DEFAULT_QUERY_NAMES: UsageQueryNames = {
  cpuMetric: 'container_cpu_usage_seconds_total',
  memoryMetric: 'container_memory_working_set_bytes',
  cadvisorJob: undefined,
  containerNamespaceLabel: 'namespace',
  containerPodNameLabel: 'pod',
  containerNameLabel: 'container',
  podLabelsMetric: 'kube_pod_labels',
  podLabelPrefix: 'label_',
  podNamespaceLabel: 'namespace',
  podNameLabel: 'pod',
  lastTerminatedReasonMetric: 'kube_pod_container_status_last_terminated_reason',
  restartsMetric: 'kube_pod_container_status_restarts_total',
  requestsMetric: 'kube_pod_container_resource_requests',
};

/** A PromQL string literal (double-quoted, Go escapes). */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/** RE2 metacharacters escaped, so a name matches only itself inside =~. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `label=~"a|b|c"` matching exactly these values (a single value uses `=`). */
export function oneOf(label: string, values: readonly string[]): string {
  if (values.length === 1) return `${label}=${promString(values[0]!)}`;
  return `${label}=~${promString(values.map(escapeRegex).join('|'))}`;
}

/** cAdvisor's container selector: VPA's, plus the namespace and pods asked. */
export function containerSelector(
  names: UsageQueryNames,
  namespace: string,
  pods: readonly string[],
): string {
  const parts: string[] = [];
  if (names.cadvisorJob !== undefined && names.cadvisorJob !== '')
    parts.push(`job=${promString(names.cadvisorJob)}`);
  parts.push(`${names.containerNamespaceLabel}=${promString(namespace)}`);
  parts.push(pods.length ? oneOf(names.containerPodNameLabel, pods) : `${names.containerPodNameLabel}=~".+"`);
  parts.push(`${names.containerNameLabel}!="POD"`, `${names.containerNameLabel}!=""`);
  return parts.join(', ');
}

/** VPA's CPU query: the rate over one resolution step, read at every step. */
export function cpuQuery(names: UsageQueryNames, selector: string, stepSeconds: number): string {
  return `rate(${names.cpuMetric}{${selector}}[${stepSeconds}s])`;
}

/** VPA's memory query: the working set as it is at every step. */
export function memoryQuery(names: UsageQueryNames, selector: string): string {
  return `${names.memoryMetric}{${selector}}`;
}

/**
 * When each pod-labels series was last seen in the window (its value: a unix time). VPA reads every
 * raw sample of the metric over the window and keeps, per pod, the labels of the series seen last;
 * this asks Prometheus for only that last time, sampled every `stepSeconds` (timestamp() of a raw
 * selector is the sample's own time, not the evaluation's).
 */
export function podLabelsQuery(
  names: UsageQueryNames,
  namespaces: readonly string[],
  windowSeconds: number,
  stepSeconds: number,
): string {
  const { metric, matchers } = splitMetric(names.podLabelsMetric);
  const selector = [...matchers, oneOf(names.podNamespaceLabel, namespaces)].join(', ');
  return `max_over_time(timestamp(${metric}{${selector}})[${windowSeconds}s:${stepSeconds}s])`;
}

/** How finely OOM kills are looked for: one minute, kube-state-metrics' usual scrape interval or finer. */
export const OOM_RESOLUTION_SECONDS = 60;

/**
 * The containers whose last termination was an OOM kill at some time in the window: only these
 * pods have their kills looked for, so the common case (no OOM) costs one small query.
 */
export function oomKilledQuery(names: UsageQueryNames, namespace: string, windowSeconds: number): string {
  const selector = `${names.podNamespaceLabel}=${promString(namespace)}, reason="OOMKilled"`;
  return `max_over_time(${names.lastTerminatedReasonMetric}{${selector}}[${windowSeconds}s]) > 0`;
}

/**
 * The kills themselves, as VPA's observer sees them: each minute at which the restart count went
 * up while the last termination said OOMKilled. A subquery that returns only those minutes, so a
 * fortnight of restarts is not sent to be searched here.
 */
export function oomKillsQuery(
  names: UsageQueryNames,
  namespace: string,
  pods: readonly string[],
  windowSeconds: number,
): string {
  const pod = podMatchers(names, namespace, pods);
  const on = `on(${names.podNamespaceLabel}, ${names.podNameLabel}, container)`;
  const restarts = `${names.restartsMetric}{${pod}}`;
  const rose = `(${restarts} - ${restarts} offset ${OOM_RESOLUTION_SECONDS}s > 0)`;
  const saidOom = `(${names.lastTerminatedReasonMetric}{${pod}, reason="OOMKilled"} > 0)`;
  return `(${rose} and ${on} ${saidOom})[${windowSeconds}s:${OOM_RESOLUTION_SECONDS}s]`;
}

/** The memory requests of the pods (a range query at the window's step: a request rarely changes). */
export function memoryRequestsQuery(
  names: UsageQueryNames,
  namespace: string,
  pods: readonly string[],
): string {
  return `${names.requestsMetric}{${podMatchers(names, namespace, pods)}, resource="memory"}`;
}

function podMatchers(names: UsageQueryNames, namespace: string, pods: readonly string[]): string {
  return `${names.podNamespaceLabel}=${promString(namespace)}, ${oneOf(names.podNameLabel, pods)}`;
}

/**
 * The metric name and its matchers of a `--metric-for-pod-labels` value, which VPA takes as a whole
 * selector (`up{job="kubernetes-pods"}`), so kubeha can add its namespace matcher. A trailing range
 * (VPA needs one, e.g. `kube_pod_labels[8d]`, to get a matrix) is dropped: kubeha sets the range.
 */
export function splitMetric(selector: string): { metric: string; matchers: string[] } {
  const trimmed = selector.trim().replace(/\[[^\]]*\]\s*$/, '');
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?$/s.exec(trimmed);
  if (!m) throw new Error(`not a metric selector: ${selector}`);
  const inner = (m[2] ?? '').trim();
  return { metric: m[1]!, matchers: inner ? splitMatchers(inner) : [] };
}

/** Splits `a="x", b=~"y,z"` at the commas outside quotes. */
function splitMatchers(inner: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      current += c;
      if (c === '\\') current += inner[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
      current += c;
    } else if (c === ',') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * The name kube-state-metrics gives a Kubernetes label (`app.kubernetes.io/name` ->
 * `app_kubernetes_io_name`): every character outside [a-zA-Z0-9_] becomes `_`. A workload's
 * selector is compared with pod labels under these names.
 */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** A Prometheus duration (VPA's --history-length / --history-resolution: 8d, 1h, 90m, 1h30m) in seconds. */
export function parsePromDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    y: 31_536_000,
    w: 604_800,
    d: 86_400,
    h: 3600,
    m: 60,
    s: 1,
    ms: 0.001,
  };
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}
