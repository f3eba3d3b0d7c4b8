/**
 * What new requests do to an HPA that scales on CPU or memory utilization. Utilization is usage
 * over request, so smaller requests make the same load look hotter and the HPA asks for more
 * replicas. The replica count is the HPA controller's (pkg/controller/podautoscaler,
 * replica_calculator.go GetResourceReplicas and metrics/utilization.go): utilization as a whole
 * percent, floor(100 × Σusage / Σrequests); ratio = utilization / target; within the tolerance
 * (|1 − ratio| ≤ 0.1) the count stays, else ceil(ratio × current replicas). Every pod is taken as
 * ready, and several metrics give the largest count. Pure.
 */
import { hpaMinReplicas, isHpa, resourceMetricsOf } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import type { K8sObject } from '../model/types.js';
import type { ContainerLoad, LoadLevels } from './load.js';
import type { Amounts } from './types.js';

/** The controller's default --horizontal-pod-autoscaler-tolerance. */
export const HPA_TOLERANCE = 0.1;

export interface UtilizationMetric {
  readonly resource: 'cpu' | 'memory';
  /** A ContainerResource metric: only this container's usage and request count. */
  readonly container?: string;
  /** averageUtilization, percent. */
  readonly target: number;
}

/** What of an HPA matters here. */
export interface HpaSpec {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** status.currentReplicas, else the workload's replicas, else minReplicas. */
  readonly currentReplicas: number;
  readonly metrics: readonly UtilizationMetric[];
  /** Metrics this cannot judge (AverageValue targets, Pods/Object/External metrics): said, not computed. */
  readonly otherMetrics: number;
}

/** The HPA as an HpaSpec; undefined for an object that is not an HPA or has no usable maxReplicas. */
export function hpaSpecOf(hpa: K8sObject, workloadReplicas?: number): HpaSpec | undefined {
  if (!isHpa(hpa)) return undefined;
  const max = getAt(hpa.raw, '/spec/maxReplicas');
  const minReplicas = hpaMinReplicas(hpa);
  if (typeof max !== 'number' || !Number.isInteger(max) || minReplicas === undefined) return undefined;
  const status = getAt(hpa.raw, '/status/currentReplicas');
  const all = resourceMetricsOf(hpa);
  const metrics: UtilizationMetric[] = all.flatMap((m) =>
    m.utilization && m.averageUtilization !== undefined && (m.resource === 'cpu' || m.resource === 'memory')
      ? [
          {
            resource: m.resource,
            target: m.averageUtilization,
            ...(m.container !== undefined ? { container: m.container } : {}),
          },
        ]
      : [],
  );
  const specMetrics = getAt(hpa.raw, '/spec/metrics');
  const written = Array.isArray(specMetrics) ? specMetrics.length : all.length;
  return {
    name: hpa.name,
    minReplicas,
    maxReplicas: max,
    currentReplicas:
      typeof status === 'number' && status > 0 ? status : (workloadReplicas ?? Math.max(1, minReplicas)),
    metrics,
    otherMetrics: Math.max(0, written - metrics.length),
  };
}

/** A container's requests, before or after. */
export interface ContainerRequests {
  readonly container: string;
  readonly requests: Amounts;
}

export interface MetricOutcome {
  readonly metric: UtilizationMetric;
  /** Whole-percent utilization at the average and at the peak load; undefined when a request is missing. */
  readonly before: { readonly mean?: number; readonly peak?: number };
  readonly after: { readonly mean?: number; readonly peak?: number };
  /** Why a side could not be computed (the HPA itself then fails on this metric). */
  readonly problems: readonly string[];
}

export interface ReplicaCounts {
  readonly mean?: number;
  readonly peak?: number;
}

export interface HpaImpact {
  readonly hpa: HpaSpec;
  readonly metrics: readonly MetricOutcome[];
  /** The replicas the HPA asks for at the observed average and peak load, with today's and the new requests (before min/max). */
  readonly before: ReplicaCounts;
  readonly after: ReplicaCounts;
  /** A count the HPA's bounds keep it from: below minReplicas or above maxReplicas. */
  readonly warnings: readonly string[];
}

type Level = 'mean' | 'peak';
const FIELD = { cpu: 'cpuCores', memory: 'memoryBytes' } as const;

/** Whole-percent utilization of one metric at one load level, or a reason it has none. */
function utilization(
  metric: UtilizationMetric,
  loads: readonly ContainerLoad[],
  requests: readonly ContainerRequests[],
  replicas: number,
  level: Level,
): number | string {
  const counted = requests.filter((c) => metric.container === undefined || c.container === metric.container);
  if (counted.length === 0)
    return `no container ${metric.container ?? ''} in the pod template`.replace('  ', ' ');
  let usage = 0;
  let request = 0;
  for (const c of counted) {
    const r = c.requests[FIELD[metric.resource]];
    // The controller refuses the metric when any counted container has no request for it.
    if (r === undefined || r <= 0) return `container ${c.container} has no ${metric.resource} request`;
    const load: LoadLevels | undefined = loads.find((l) => l.container === c.container)?.[metric.resource];
    if (!load) return `container ${c.container} has no ${metric.resource} usage`;
    usage += load[level];
    request += r * replicas;
  }
  // In milli-units, as the controller sums them (Quantity.MilliValue), then a whole percent.
  return Math.floor((Math.round(usage * 1000) * 100) / Math.round(request * 1000));
}

function replicasFor(percent: number, target: number, current: number): number {
  const ratio = percent / target;
  if (Math.abs(1 - ratio) <= HPA_TOLERANCE) return current;
  return Math.ceil(ratio * current);
}

function counts(
  hpa: HpaSpec,
  per: readonly { metric: UtilizationMetric; mean: number | string; peak: number | string }[],
): ReplicaCounts {
  const at = (level: Level): number | undefined => {
    const wanted = per.flatMap((p) => {
      const percent = p[level];
      return typeof percent === 'number' ? [replicasFor(percent, p.metric.target, hpa.currentReplicas)] : [];
    });
    return wanted.length ? Math.max(...wanted) : undefined;
  };
  const mean = at('mean');
  const peak = at('peak');
  return { ...(mean !== undefined ? { mean } : {}), ...(peak !== undefined ? { peak } : {}) };
}

/** The HPA's replica counts at the observed load with today's requests and with the new ones. */
export function hpaImpact(
  hpa: HpaSpec,
  loads: readonly ContainerLoad[],
  before: readonly ContainerRequests[],
  after: readonly ContainerRequests[],
): HpaImpact {
  const side = (requests: readonly ContainerRequests[]) =>
    hpa.metrics.map((metric) => ({
      metric,
      mean: utilization(metric, loads, requests, hpa.currentReplicas, 'mean'),
      peak: utilization(metric, loads, requests, hpa.currentReplicas, 'peak'),
    }));
  const b = side(before);
  const a = side(after);
  const metrics: MetricOutcome[] = hpa.metrics.map((metric, i) => {
    const pick = (s: (typeof b)[number]) => ({
      ...(typeof s.mean === 'number' ? { mean: s.mean } : {}),
      ...(typeof s.peak === 'number' ? { peak: s.peak } : {}),
    });
    const problems = [
      ...new Set(
        [
          typeof b[i]!.mean === 'string' ? `today: ${b[i]!.mean}` : undefined,
          typeof a[i]!.mean === 'string' ? `resized: ${a[i]!.mean}` : undefined,
        ].filter((p): p is string => p !== undefined),
      ),
    ];
    return { metric, before: pick(b[i]!), after: pick(a[i]!), problems };
  });
  const countsBefore = counts(hpa, b);
  const countsAfter = counts(hpa, a);
  const warnings: string[] = [];
  const was = (n: number | undefined): string => (n !== undefined ? ` (today ${n})` : '');
  // The peak is where maxReplicas binds, the average where minReplicas does.
  const peak = countsAfter.peak;
  if (peak !== undefined && peak > hpa.maxReplicas)
    warnings.push(
      `at the peak load the HPA would want ${peak} replicas${was(countsBefore.peak)}, above maxReplicas ${hpa.maxReplicas}: out of reach, the pods would run above the target`,
    );
  const mean = countsAfter.mean;
  if (mean !== undefined && mean < hpa.minReplicas)
    warnings.push(
      `at the average load the HPA would want ${mean} replicas${was(countsBefore.mean)}, below minReplicas ${hpa.minReplicas}: out of reach, the floor keeps more replicas than the load needs`,
    );
  return { hpa, metrics, before: countsBefore, after: countsAfter, warnings };
}
