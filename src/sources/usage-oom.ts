/**
 * OOM kills as the VPA recommender's OOM observer records them (pkg/recommender/input/oom,
 * observer.go OnUpdate): a container whose restart count went up while its last termination says
 * OOMKilled; the time is when it was killed, the memory is its memory request then. Two readings:
 * from kube-state-metrics' series (history in Prometheus) and from live pod statuses (the metrics-API
 * source, which watches pods as VPA does). Pure.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../model/types.js';
import { parseQuantity } from '../model/quantity.js';
import type { OomKill, UsageSample } from '../model/usage.js';

/**
 * From kube-state-metrics (usage-promql.ts' oomKillsQuery): the minutes at which a container's
 * restart count rose while its last termination said OOMKilled, each one kill at that time (within
 * a minute and a scrape of the termination's finishedAt, which kube-state-metrics does not export),
 * with the memory request kube_pod_container_resource_requests had then (0 when none, as VPA).
 * `memoryRequests`: that series read at the window's step.
 */
export function oomsFromKillTimes(
  kills: readonly UsageSample[],
  memoryRequests: readonly UsageSample[],
): OomKill[] {
  const times = [...new Set(kills.map((k) => k.time))].sort((a, b) => a - b);
  return times.map((time) => ({ time, memoryBytes: valueAt(memoryRequests, time) ?? 0 }));
}

/**
 * The value of the last sample at or before `time` (samples in time order), else the first after
 * it: requests are read at the window's step, and a pod started within a step has none before.
 */
function valueAt(samples: readonly UsageSample[], time: number): number | undefined {
  // Binary search: a fortnight of requests at a short step, for each of a container's many kills.
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (samples[mid]!.time <= time) low = mid + 1;
    else high = mid;
  }
  return samples[Math.max(0, low - 1)]?.value;
}

/**
 * From two observations of one pod (the API's JSON), the kills VPA's observer would record on that
 * update, per container name. `older` undefined: the first sight of the pod, where VPA records
 * nothing (OnAdd); kubeha then takes a kill its lastState reports at or after `since`, since a
 * recommender that had been running then would have seen it.
 */
export function oomsFromPodUpdate(
  older: JsonObject | undefined,
  newer: JsonObject,
  since: number,
): { container: string; kill: OomKill }[] {
  const out: { container: string; kill: OomKill }[] = [];
  for (const status of containerStatuses(newer)) {
    const name = str(status['name']);
    if (!name) continue;
    const state = obj(status['state']);
    const last = obj(status['lastState']);
    if (!older) {
      const terminated = obj(last['terminated']);
      const time = unixTime(terminated['finishedAt']);
      if (terminated['reason'] === 'OOMKilled' && time !== undefined && time >= since)
        out.push({ container: name, kill: { time, memoryBytes: memoryRequest(newer, name) } });
      continue;
    }
    const old = containerStatuses(older).find((s) => s['name'] === name);
    if (!old) continue;
    const oldState = obj(old['state']);
    const restarted = num(status['restartCount']) > num(old['restartCount']);
    const terminatedNow = obj(state['terminated']);
    const isNewOom =
      terminatedNow['reason'] === 'OOMKilled' && (oldState['terminated'] === undefined || restarted);
    const lastTerminated = obj(last['terminated']);
    const isPreviousOom =
      state['running'] !== undefined &&
      oldState['running'] !== undefined &&
      restarted &&
      lastTerminated['reason'] === 'OOMKilled';
    if (!isNewOom && !isPreviousOom) continue;
    // VPA: a kill seen now happened under the newer pod's resources; a previous one under the older's.
    const killed = isNewOom ? terminatedNow : lastTerminated;
    const time = unixTime(killed['finishedAt']);
    if (time === undefined) continue;
    out.push({
      container: name,
      kill: { time, memoryBytes: memoryRequest(isNewOom ? newer : older, name) },
    });
  }
  return out;
}

/**
 * The memory request of a container as VPA's resourcehelpers.ContainerRequestsAndLimits reads it:
 * the container status' resources (in-place resize) when present, else the pod spec's; 0 when none.
 */
export function memoryRequest(pod: JsonObject, container: string): number {
  const status = containerStatuses(pod).find((s) => s['name'] === container);
  const resources = status ? status['resources'] : undefined;
  if (isJsonObject(resources)) return wholeBytes(obj(resources['requests'])['memory']);
  const spec = obj(pod['spec']);
  const containers = Array.isArray(spec['containers']) ? spec['containers'] : [];
  const found = containers.find((c) => isJsonObject(c) && c['name'] === container);
  if (!isJsonObject(found)) return 0;
  return wholeBytes(obj(obj(found['resources'])['requests'])['memory']);
}

function containerStatuses(pod: JsonObject): JsonObject[] {
  const list = obj(pod['status'])['containerStatuses'];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

function wholeBytes(q: JsonValue | undefined): number {
  const v = parseQuantity(q);
  return v === undefined ? 0 : Math.ceil(v);
}

function unixTime(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: JsonValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}
