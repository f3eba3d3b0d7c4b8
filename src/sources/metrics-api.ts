/**
 * Usage sampled now from the metrics API (metrics.k8s.io, served by metrics-server): every
 * `interval` for `duration`, the PodMetrics of each namespace asked (per container: CPU in cores,
 * already a rate over metrics-server's window; memory in bytes, the working set), with the pods
 * themselves listed at the same time for their labels and their statuses (OOM kills, as the VPA
 * recommender's OOM observer sees them on pod updates). A short window: every report says so.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../model/types.js';
import { parseQuantity } from '../model/quantity.js';
import type {
  OomKill,
  UsageQuery,
  UsageSample,
  UsageSource,
  UsageWindow,
  WorkloadUsage,
} from '../model/usage.js';
import { ApiError, ClusterUnreachable, type ClusterClient } from './cluster-client.js';
import { podsOf, workloadUsage, type NamespaceHistory, type SourceWording } from './usage-assemble.js';
import { oomsFromPodUpdate } from './usage-oom.js';

export interface MetricsApiOptions {
  /** How long to sample, in seconds; default the window's length. */
  readonly durationSeconds?: number;
  /** Seconds between two samples; default the window's step. */
  readonly intervalSeconds?: number;
  /** Called after each round of samples (a progress line). */
  readonly onSample?: (done: number, total: number) => void;
}

/** VPA's --memory-aggregation-interval (24 h). */
const MEMORY_AGGREGATION_SECONDS = 86_400;

/** The metrics API could not be read: one line. */
export class MetricsApiError extends Error {
  override name = 'MetricsApiError';
}

const WORDING: SourceWording = {
  cpu: "the metrics API's CPU usage",
  memory: "the metrics API's memory usage",
  pods: 'the pods listed',
  labelKey: (key) => key,
};

/** One PodMetrics container usage, as metrics-server serves it. */
export interface PodMetricsSample {
  readonly pod: string;
  readonly container: string;
  /** The end of metrics-server's window, unix seconds. */
  readonly time: number;
  readonly cpuCores: number | undefined;
  readonly memoryBytes: number | undefined;
}

/** The samples of a PodMetricsList (GET /apis/metrics.k8s.io/v1beta1/namespaces/<ns>/pods). */
export function podMetricsSamples(list: JsonObject): PodMetricsSample[] {
  const items = Array.isArray(list['items']) ? list['items'].filter(isJsonObject) : [];
  const out: PodMetricsSample[] = [];
  for (const item of items) {
    const pod = str(obj(item['metadata'])['name']);
    const ms = typeof item['timestamp'] === 'string' ? Date.parse(item['timestamp']) : NaN;
    if (!pod || !Number.isFinite(ms)) continue;
    const containers = Array.isArray(item['containers']) ? item['containers'].filter(isJsonObject) : [];
    for (const c of containers) {
      const container = str(c['name']);
      if (!container) continue;
      const usage = obj(c['usage']);
      out.push({
        pod,
        container,
        time: ms / 1000,
        cpuCores: parseQuantity(usage['cpu']),
        memoryBytes: parseQuantity(usage['memory']),
      });
    }
  }
  return out;
}

export function metricsApiSource(client: ClusterClient, options: MetricsApiOptions = {}): UsageSource {
  return {
    kind: 'metrics-api',
    shortWindow: true,
    async fetch(queries: readonly UsageQuery[], window: UsageWindow): Promise<readonly WorkloadUsage[]> {
      const duration = options.durationSeconds ?? window.end - window.start;
      const interval = options.intervalSeconds ?? window.step;
      if (!(interval > 0) || !(duration >= 0))
        throw new MetricsApiError(
          `the sampling interval must be positive (interval ${interval} s, duration ${duration} s)`,
        );
      if (queries.length === 0) return [];
      const namespaces = [...new Set(queries.map((q) => q.workload.namespace))].sort();
      const state = new Map(namespaces.map((ns) => [ns, new NamespaceSamples()] as const));
      const rounds = Math.floor(duration / interval) + 1;
      const began = Date.now();
      // A kill a pod's lastState shows at first sight counts when VPA's memory aggregation (a day)
      // would still hold it: a recommender that had been running would have recorded it.
      const since = began / 1000 - MEMORY_AGGREGATION_SECONDS;
      for (let round = 0; round < rounds; round++) {
        const due = began + round * interval * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await Promise.all(namespaces.map((ns) => sampleNamespace(client, ns, state.get(ns)!, since)));
        options.onSample?.(round + 1, rounds);
      }
      return queries.map((q) => {
        const samples = state.get(q.workload.namespace)!;
        return workloadUsage(q, podsOf(q, samples.labels, WORDING), samples.history(), WORDING);
      });
    },
  };
}

/** What the rounds gathered for one namespace. */
class NamespaceSamples {
  readonly labels = new Map<string, Record<string, string>>();
  readonly lastPod = new Map<string, JsonObject>();
  private readonly cpu = new Map<string, Map<string, UsageSample[]>>();
  private readonly memory = new Map<string, Map<string, UsageSample[]>>();
  private readonly ooms = new Map<string, Map<string, OomKill[]>>();
  /** pod/container/time: metrics-server serves one measurement until its next scrape. */
  private readonly seen = new Set<string>();

  addSample(s: PodMetricsSample): void {
    const key = `${s.pod}/${s.container}/${s.time}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (s.cpuCores !== undefined) push(this.cpu, s.pod, s.container, { time: s.time, value: s.cpuCores });
    if (s.memoryBytes !== undefined)
      push(this.memory, s.pod, s.container, { time: s.time, value: s.memoryBytes });
  }

  addOom(pod: string, container: string, kill: OomKill): void {
    const list = this.ooms.get(pod)?.get(container) ?? [];
    if (list.some((k) => k.time === kill.time)) return;
    push(this.ooms, pod, container, kill);
  }

  history(): NamespaceHistory {
    return { cpu: this.cpu, memory: this.memory, ooms: this.ooms };
  }
}

function push<T>(map: Map<string, Map<string, T[]>>, pod: string, container: string, value: T): void {
  const containers = map.get(pod) ?? new Map<string, T[]>();
  const list = containers.get(container) ?? [];
  list.push(value);
  containers.set(container, list);
  map.set(pod, containers);
}

/** One round for one namespace: its pods (labels, statuses) and their metrics, read together. */
async function sampleNamespace(
  client: ClusterClient,
  namespace: string,
  samples: NamespaceSamples,
  since: number,
): Promise<void> {
  const ns = encodeURIComponent(namespace);
  const [pods, metrics] = await Promise.all([
    read(client, `/api/v1/namespaces/${ns}/pods`, 'the pods'),
    read(client, `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, 'the metrics API (metrics.k8s.io)'),
  ]);
  for (const pod of Array.isArray(pods['items']) ? pods['items'].filter(isJsonObject) : []) {
    const metadata = obj(pod['metadata']);
    const name = str(metadata['name']);
    if (!name) continue;
    samples.labels.set(name, stringMap(metadata['labels']));
    for (const { container, kill } of oomsFromPodUpdate(samples.lastPod.get(name), pod, since))
      samples.addOom(name, container, kill);
    samples.lastPod.set(name, pod);
  }
  for (const sample of podMetricsSamples(metrics)) samples.addSample(sample);
}

async function read(client: ClusterClient, path: string, what: string): Promise<JsonObject> {
  try {
    return await client.get(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && what.startsWith('the metrics API'))
      throw new MetricsApiError(
        `the cluster does not serve the metrics API (metrics.k8s.io): is metrics-server installed? (${e.message})`,
      );
    if (e instanceof ApiError)
      throw new MetricsApiError(`cannot read ${what}: HTTP ${e.status}, ${e.message}`);
    if (e instanceof ClusterUnreachable) throw new MetricsApiError(`cannot read ${what}: ${e.message}`);
    throw e;
  }
}

function stringMap(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(v)) return out;
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
