/**
 * Usage history from Prometheus, read as the VPA recommender's Prometheus history provider reads it
 * (see usage-promql.ts for the queries), so that the right-sizing core computes VPA's numbers:
 * pod labels from kube-state-metrics' kube_pod_labels, CPU as the rate of cAdvisor's counter over
 * each step, memory as the working set at each step, OOM kills from kube-state-metrics.
 *
 * Speed: one pod-labels query for many namespaces, then per namespace one CPU and one memory range
 * query per chunk of pods (pod=~"a|b|c"), split in time where a range would pass Prometheus' 11 000
 * points per series, a few requests at a time. Everything goes by POST, so no URL grows too long.
 */
import type {
  OomKill,
  UsageQuery,
  UsageSample,
  UsageSource,
  UsageWindow,
  WorkloadUsage,
} from '../model/usage.js';
import { podsOf, workloadUsage, type NamespaceHistory, type SourceWording } from './usage-assemble.js';
import { parseSeries, PrometheusError, type Series } from './usage-matrix.js';
import { oomsFromKillTimes } from './usage-oom.js';
import {
  containerSelector,
  cpuQuery,
  DEFAULT_QUERY_NAMES,
  memoryQuery,
  oomKilledQuery,
  oomKillsQuery,
  memoryRequestsQuery,
  podLabelsQuery,
  sanitizeLabelName,
  splitMetric,
  type UsageQueryNames,
} from './usage-promql.js';

export { PrometheusError } from './usage-matrix.js';
export { DEFAULT_QUERY_NAMES, parsePromDuration, type UsageQueryNames } from './usage-promql.js';

export interface PrometheusSourceOptions extends Partial<UsageQueryNames> {
  /** The server's base URL, e.g. http://prometheus.monitoring:9090 (a path prefix is kept). */
  readonly url: string;
  /** The longest one request may take, answer included, in ms. Default DEFAULT_PROMETHEUS_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Extra request headers, e.g. Authorization for a Prometheus behind a proxy. */
  readonly headers?: Readonly<Record<string, string>>;
  /** About how many samples one query may return; pods are chunked to stay under it. */
  readonly samplesPerQuery?: number;
}

/**
 * VPA waits 5 minutes for a query (--prometheus-query-timeout); an interactive command says much
 * sooner that a server does not answer. One minute fits a healthy server's largest answer here.
 */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 60_000;
/** Prometheus refuses a range query of more than 11 000 points per series; stay below it. */
const MAX_POINTS = 10_000;
/** Containers per pod assumed when chunking pods (a guess: most pods have one to three). */
const CONTAINERS_PER_POD = 3;
const MAX_PODS_PER_QUERY = 500;
const NAMESPACES_PER_LABELS_QUERY = 100;
/** The most points the pod-labels query reads per series. */
const LABELS_POINTS = 5_000;
/** Prometheus' default lookback (--query.lookback-delta). */
const LOOKBACK_SECONDS = 300;

export function prometheusSource(options: PrometheusSourceOptions): UsageSource {
  const names: UsageQueryNames = { ...DEFAULT_QUERY_NAMES, ...definedOnly(options) };
  try {
    splitMetric(names.podLabelsMetric);
  } catch {
    throw new PrometheusError(
      `the pod-labels metric "${names.podLabelsMetric}" is not a metric selector (e.g. kube_pod_labels{job="kube-state-metrics"})`,
    );
  }
  const client = prometheusClient(options);
  const wording: SourceWording = {
    cpu: names.cpuMetric,
    memory: names.memoryMetric,
    pods: names.podLabelsMetric,
    labelKey: sanitizeLabelName,
  };
  const budget = options.samplesPerQuery ?? 1_000_000;

  return {
    kind: 'prometheus',
    shortWindow: false,
    async fetch(queries: readonly UsageQuery[], window: UsageWindow): Promise<readonly WorkloadUsage[]> {
      checkWindow(window);
      if (queries.length === 0) return [];
      const namespaces = [...new Set(queries.map((q) => q.workload.namespace))].sort();
      const labels = await readPodLabels(client, names, namespaces, window);
      if (labels.size === 0 && !(await hasSeries(client, names.podLabelsMetric, window)))
        throw new PrometheusError(
          `${client.where} has no ${names.podLabelsMetric} series in the window: kubeha finds a workload's pods ` +
            `by their labels there (kube-state-metrics; --metric-for-pod-labels in VPA's words)`,
        );

      const podsByQuery = queries.map((q) =>
        podsOf(q, labels.get(q.workload.namespace) ?? new Map(), wording),
      );
      const wanted = new Map<string, Set<string>>();
      queries.forEach((q, i) => {
        const set = wanted.get(q.workload.namespace) ?? new Set<string>();
        for (const pod of podsByQuery[i]!) set.add(pod);
        wanted.set(q.workload.namespace, set);
      });

      const histories = await readHistories(client, names, wanted, window, budget);
      const sampled = [...histories.values()].some((h) => h.cpu.size > 0 || h.memory.size > 0);
      if (
        !sampled &&
        [...wanted.values()].some((pods) => pods.size > 0) &&
        !(await hasSeries(client, names.cpuMetric, window)) &&
        !(await hasSeries(client, names.memoryMetric, window))
      )
        throw new PrometheusError(
          `${client.where} has no ${names.cpuMetric} nor ${names.memoryMetric} series in the window: ` +
            `is cAdvisor scraped${names.cadvisorJob ? ` as job "${names.cadvisorJob}"` : ''}?`,
        );

      return queries.map((q, i) =>
        workloadUsage(q, podsByQuery[i]!, histories.get(q.workload.namespace) ?? EMPTY, wording),
      );
    },
  };
}

/** Whether the metric has any series at all in the window (to tell a missing exporter from a missing pod). */
async function hasSeries(client: PrometheusClient, metric: string, window: UsageWindow): Promise<boolean> {
  const { metric: name, matchers } = splitMetric(metric);
  const answer = await client.instant(
    `count(last_over_time(${name}${matchers.length ? `{${matchers.join(', ')}}` : ''}[${windowSeconds(window)}s]))`,
    window.end,
  );
  return answer.some((s) => (s.samples[0]?.value ?? 0) > 0);
}

const EMPTY: NamespaceHistory = { cpu: new Map(), memory: new Map(), ooms: new Map() };

/** Namespace -> pod -> its labels (prefix removed), from the series of each pod seen last. */
async function readPodLabels(
  client: PrometheusClient,
  names: UsageQueryNames,
  namespaces: readonly string[],
  window: UsageWindow,
): Promise<Map<string, Map<string, Record<string, string>>>> {
  const seconds = windowSeconds(window);
  // Prometheus looks back 5 minutes from each point: a step of at most that finds a pod that lived
  // between two steps of the window, as VPA's raw read of the metric does.
  const step = Math.max(Math.min(window.step, LOOKBACK_SECONDS), Math.ceil(seconds / LABELS_POINTS));
  const chunks = chunk(namespaces, NAMESPACES_PER_LABELS_QUERY);
  const answers = await pool(chunks, client.concurrency, (nsChunk) =>
    client.instant(podLabelsQuery(names, nsChunk, seconds, step), window.end),
  );
  const lastSeen = new Map<string, number>();
  const out = new Map<string, Map<string, Record<string, string>>>();
  for (const series of answers.flat()) {
    const namespace = series.labels[names.podNamespaceLabel];
    const pod = series.labels[names.podNameLabel];
    const seen = series.samples[0]?.value;
    if (namespace === undefined || pod === undefined || seen === undefined) continue;
    const key = `${namespace}/${pod}`;
    if ((lastSeen.get(key) ?? -Infinity) >= seen) continue;
    lastSeen.set(key, seen);
    const pods = out.get(namespace) ?? new Map<string, Record<string, string>>();
    pods.set(pod, podLabelsOf(series.labels, names.podLabelPrefix));
    out.set(namespace, pods);
  }
  return out;
}

/** VPA's getPodLabelsMap: the labels that start with the prefix, without it. */
function podLabelsOf(labels: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Every namespace's CPU, memory and OOM history for the pods wanted. */
async function readHistories(
  client: PrometheusClient,
  names: UsageQueryNames,
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
  window: UsageWindow,
  budget: number,
): Promise<Map<string, NamespaceHistory>> {
  const segments = timeSegments(window);
  const longest = Math.max(...segments.map((s) => Math.floor((s.end - s.start) / window.step) + 1));
  const podsPerQuery = Math.max(
    1,
    Math.min(MAX_PODS_PER_QUERY, Math.floor(budget / (longest * CONTAINERS_PER_POD))),
  );

  interface Task {
    namespace: string;
    resource: 'cpu' | 'memory';
    query: string;
    segment: UsageWindow;
  }
  const tasks: Task[] = [];
  for (const [namespace, pods] of wanted) {
    for (const podChunk of chunk([...pods].sort(), podsPerQuery)) {
      const selector = containerSelector(names, namespace, podChunk);
      for (const segment of segments) {
        tasks.push({ namespace, resource: 'cpu', query: cpuQuery(names, selector, window.step), segment });
        tasks.push({ namespace, resource: 'memory', query: memoryQuery(names, selector), segment });
      }
    }
  }
  const out = new Map<string, { cpu: PodSamples; memory: PodSamples; ooms: NamespaceHistory['ooms'] }>();
  for (const namespace of wanted.keys())
    out.set(namespace, { cpu: new Map(), memory: new Map(), ooms: new Map() });

  // Awaited together: a failure of either is the one error, and neither is left rejected unheard
  // (an unawaited rejection would end the process with a stack trace).
  const [oomsByNamespace] = await Promise.all([
    pool(
      [...wanted.keys()].filter((ns) => wanted.get(ns)!.size > 0),
      client.concurrency,
      (ns) => readOoms(client, names, ns, wanted.get(ns)!, window),
    ),
    pool(tasks, client.concurrency, async (task) => {
      const series = await client.range(task.query, task.segment);
      const target = out.get(task.namespace)![task.resource];
      for (const s of series) {
        const pod = s.labels[names.containerPodNameLabel];
        const container = s.labels[names.containerNameLabel];
        if (pod === undefined || container === undefined || s.samples.length === 0) continue;
        const containers = target.get(pod) ?? new Map<string, UsageSample[]>();
        const list = containers.get(container);
        // VPA appends every series of a container (several cAdvisor series of one container included).
        if (list) for (const sample of s.samples) list.push(sample);
        else containers.set(container, s.samples);
        target.set(pod, containers);
      }
    }),
  ]);
  [...wanted.keys()]
    .filter((ns) => wanted.get(ns)!.size > 0)
    .forEach((ns, i) => (out.get(ns)!.ooms = oomsByNamespace[i]!));
  for (const history of out.values())
    for (const byPod of [history.cpu, history.memory])
      for (const containers of byPod.values())
        for (const list of containers.values()) list.sort((a, b) => a.time - b.time);
  return out;
}

type PodSamples = Map<string, Map<string, UsageSample[]>>;

/**
 * The OOM kills of a namespace's pods: first which were OOM-killed in the window at all (one small
 * query), then, for those pods only, the minutes of their kills and their memory requests.
 */
async function readOoms(
  client: PrometheusClient,
  names: UsageQueryNames,
  namespace: string,
  pods: ReadonlySet<string>,
  window: UsageWindow,
): Promise<NamespaceHistory['ooms']> {
  const seconds = windowSeconds(window);
  const killed = new Set(
    (await client.instant(oomKilledQuery(names, namespace, seconds), window.end))
      .map((s) => s.labels[names.podNameLabel] ?? '')
      .filter((pod) => pods.has(pod)),
  );
  const out = new Map<string, Map<string, OomKill[]>>();
  if (killed.size === 0) return out;
  const podList = [...killed].sort();
  const [kills, requests] = await Promise.all([
    client.instant(oomKillsQuery(names, namespace, podList, seconds), window.end),
    Promise.all(
      timeSegments(window).map((w) => client.range(memoryRequestsQuery(names, namespace, podList), w)),
    ),
  ]);
  const key = (s: Series) => `${s.labels[names.podNameLabel] ?? ''}/${s.labels['container'] ?? ''}`;
  const killsBy = groupSamples(kills, key);
  const requestsBy = groupSamples(requests.flat(), key);
  for (const [k, times] of killsBy) {
    const [pod, container] = k.split('/') as [string, string];
    if (!container) continue;
    const list = oomsFromKillTimes(times, requestsBy.get(k) ?? []);
    out.set(pod, (out.get(pod) ?? new Map<string, OomKill[]>()).set(container, list));
  }
  return out;
}

/** The samples of the series with the same key, in one time order (e.g. one series per pod uid). */
function groupSamples(series: readonly Series[], key: (s: Series) => string): Map<string, UsageSample[]> {
  const out = new Map<string, UsageSample[]>();
  for (const s of series) {
    const list = out.get(key(s));
    if (list) for (const sample of s.samples) list.push(sample);
    else out.set(key(s), [...s.samples]);
  }
  for (const list of out.values()) list.sort((a, b) => a.time - b.time);
  return out;
}

/** Ranges of at most MAX_POINTS steps that together evaluate at exactly the window's steps. */
export function timeSegments(window: UsageWindow): UsageWindow[] {
  const out: UsageWindow[] = [];
  const span = (MAX_POINTS - 1) * window.step;
  for (let start = window.start; start <= window.end; start += MAX_POINTS * window.step)
    out.push({ start, end: Math.min(window.end, start + span), step: window.step });
  return out;
}

function checkWindow(window: UsageWindow): void {
  if (!(window.step > 0) || !(window.end > window.start) || !Number.isFinite(window.start))
    throw new PrometheusError(
      `the window must have a positive step and end after it starts (start ${window.start}, end ${window.end}, step ${window.step})`,
    );
}

function windowSeconds(window: UsageWindow): number {
  return Math.ceil(window.end - window.start);
}

interface PrometheusClient {
  readonly where: string;
  readonly concurrency: number;
  range(query: string, window: UsageWindow): Promise<Series[]>;
  instant(query: string, time: number): Promise<Series[]>;
}

/** POSTs to the HTTP API, each request bounded by the timeout; every failure is one PrometheusError line. */
function prometheusClient(options: PrometheusSourceOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new PrometheusError(
      `the Prometheus URL "${options.url}" is not a URL (e.g. http://127.0.0.1:9090)`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new PrometheusError(`the Prometheus URL "${options.url}" is not http or https`);
  const root = base.href.replace(/\/+$/, '');
  const where = `Prometheus at ${root}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 4);

  async function post(path: string, form: Record<string, string>): Promise<Series[]> {
    // Prometheus stops evaluating a query at its own timeout too, instead of working for nobody.
    const body = new URLSearchParams({ ...form, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` });
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${root}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          // Uncompressed: on a near network, gzip costs Prometheus and kubeha more CPU than it saves
          // (a third of kubeha's time on the benchmark's answers went to inflating them).
          'Accept-Encoding': 'identity',
          ...options.headers,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw new PrometheusError(fetchFailure(e, where, timeoutMs));
    }
    return parseSeries(text, status, where);
  }

  return {
    where,
    concurrency,
    range: (query, w) =>
      post('/api/v1/query_range', {
        query,
        start: String(w.start),
        end: String(w.end),
        step: String(w.step),
      }),
    instant: (query, time) => post('/api/v1/query', { query, time: String(time) }),
  };
}

/** Why a request got no answer, in one line. */
function fetchFailure(e: unknown, where: string, timeoutMs: number): string {
  const error = e instanceof Error ? e : new Error(String(e));
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return `${where} did not answer within ${formatSeconds(timeoutMs)}`;
  const cause = (error as { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'no such host (DNS)',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection was closed',
  };
  if (typeof code === 'string') return `cannot reach ${where}: ${reasons[code] ?? code}`;
  const message = cause instanceof Error ? cause.message : error.message;
  return `cannot reach ${where}: ${message.split('\n')[0]}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `work` over the items, at most `limit` at once; results in the items' order; the first failure rejects. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The options that are set, so `undefined` does not override a default. */
function definedOnly(options: PrometheusSourceOptions): Partial<UsageQueryNames> {
  const given: Readonly<Record<string, unknown>> = { ...options };
  return Object.fromEntries(
    Object.keys(DEFAULT_QUERY_NAMES)
      .filter((key) => given[key] !== undefined)
      .map((key) => [key, given[key]]),
  ) as Partial<UsageQueryNames>;
}
