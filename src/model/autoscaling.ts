/**
 * HPA, KEDA ScaledObject and VPA semantics shared by the autoscaling rules: which objects scale a
 * workload, which resource metrics they use (with the API's defaults applied), which resources a VPA
 * controls, and which resource requests a container ends up with after Kubernetes' own defaulting.
 */
import { getAt, joinPath } from './json-path.js';
import { atLeast } from './kube-versions.js';
import type { ObjectIndex } from './object-index.js';
import { isJsonObject, type JsonValue, type K8sObject } from './types.js';
import type { Container, Workload } from './workload.js';
import { isInt32 } from './number-text.js';
import { containerPolicyFor, controlledResources, resourcePolicyOf } from './vpa-policy.js';

// ---- who scales a workload

export function isHpa(o: K8sObject): boolean {
  return o.kind === 'HorizontalPodAutoscaler' && o.apiVersion.startsWith('autoscaling/');
}

export function isScaledObject(o: K8sObject): boolean {
  return o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/');
}

export function isVpa(o: K8sObject): boolean {
  return o.kind === 'VerticalPodAutoscaler' && o.apiVersion.startsWith('autoscaling.k8s.io/');
}

export interface ScaleTarget {
  kind: string;
  name: string;
}

/**
 * The workload an HPA or a KEDA ScaledObject scales, as written. KEDA defaults scaleTargetRef.kind to
 * Deployment; the HPA API requires it.
 */
export function scaleTargetOf(o: K8sObject): ScaleTarget | undefined {
  const ref = getAt(o.raw, '/spec/scaleTargetRef');
  if (!isJsonObject(ref) || typeof ref['name'] !== 'string' || ref['name'] === '') return undefined;
  const kind = ref['kind'];
  if (typeof kind === 'string' && kind !== '') return { kind, name: ref['name'] };
  return isScaledObject(o) ? { kind: 'Deployment', name: ref['name'] } : undefined;
}

/** HPAs and ScaledObjects of the workload's namespace that name it (KEDA makes an HPA of each ScaledObject). */
export function scalersFor(index: ObjectIndex, w: Workload): readonly K8sObject[] {
  return scalersOf(index, w.object.namespace, w.kind, w.object.name);
}

/** HPAs and ScaledObjects of a namespace that name kind/name, whether or not that workload is in the input. */
export function scalersOf(
  index: ObjectIndex,
  namespace: string,
  kind: string,
  name: string,
): readonly K8sObject[] {
  return scalersByTarget(index).get(`${namespace}\u0000${kind}\u0000${name}`) ?? [];
}

/** Every scaler keyed by the target it names, built once per index: rules ask per workload. */
const scalerCache = new WeakMap<ObjectIndex, Map<string, K8sObject[]>>();

function scalersByTarget(index: ObjectIndex): Map<string, K8sObject[]> {
  const cached = scalerCache.get(index);
  if (cached) return cached;
  const candidates = index
    .ofKind('HorizontalPodAutoscaler', 'ScaledObject')
    // An HPA on an apiVersion the target refuses never reaches the cluster: it scales nothing.
    .filter((o) => (isHpa(o) || isScaledObject(o)) && !index.unservedApi(o));
  const scaledObjects = new Set(
    candidates.filter(isScaledObject).map((o) => `${o.namespace}\u0000${o.name}`),
  );
  const byTarget = new Map<string, K8sObject[]>();
  for (const o of candidates) {
    const t = scaleTargetOf(o);
    if (!t) continue;
    // The HPA KEDA generated from a ScaledObject (read back from a cluster) would count the same scaler twice.
    const generated =
      isHpa(o) &&
      ownerKinds(o).some(
        (k) => k.kind === 'ScaledObject' && scaledObjects.has(`${o.namespace}\u0000${k.name}`),
      );
    if (generated) continue;
    const key = `${o.namespace}\u0000${t.kind}\u0000${t.name}`;
    const list = byTarget.get(key);
    if (list) list.push(o);
    else byTarget.set(key, [o]);
  }
  scalerCache.set(index, byTarget);
  return byTarget;
}

export function scalerTarget(index: ObjectIndex, o: K8sObject): Workload | undefined {
  const t = scaleTargetOf(o);
  return t ? index.workload(o.namespace, t.kind, t.name) : undefined;
}

function ownerKinds(o: K8sObject): { kind: string; name: string }[] {
  const owners = getAt(o.raw, '/metadata/ownerReferences');
  if (!Array.isArray(owners)) return [];
  return owners.flatMap((r) =>
    isJsonObject(r) && typeof r['kind'] === 'string' && typeof r['name'] === 'string'
      ? [{ kind: r['kind'], name: r['name'] }]
      : [],
  );
}

/** "HPA web" / "ScaledObject web": how messages name a scaler. */
export function describeScaler(o: K8sObject): string {
  return `${isScaledObject(o) ? 'ScaledObject' : 'HPA'} ${o.name}`;
}

/** The HPA's minReplicas with the API default (1); undefined when it is not an integer. */
export function hpaMinReplicas(hpa: K8sObject): number | undefined {
  const v = getAt(hpa.raw, '/spec/minReplicas');
  if (v === undefined || v === null) return 1;
  return isInt32(v) ? v : undefined;
}

/** The fewest replicas a scaler keeps: HPA minReplicas (default 1), ScaledObject minReplicaCount (default 0). */
export function scalerMinReplicas(o: K8sObject): number | undefined {
  if (isHpa(o)) return hpaMinReplicas(o);
  const v = getAt(o.raw, '/spec/minReplicaCount');
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

// ---- resource metrics

export interface ResourceMetric {
  /** cpu, memory, or another resource name. */
  resource: string;
  /** Set for ContainerResource metrics (and KEDA cpu/memory triggers with containerName). */
  container?: string;
  /** The target is a percentage of the pods' requests (target type Utilization). */
  utilization: boolean;
  /** Utilisation percentage when known. */
  averageUtilization?: number;
  /** Not written: the API's default metric (80% cpu) for an HPA without metrics. */
  implicit: boolean;
  /** JSON pointer of the metric in the scaler. */
  path: string;
}

const DEFAULT_CPU_UTILIZATION = 80;
const V1_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';

/**
 * The resource metrics of an HPA or ScaledObject, with the API's defaults applied: an HPA without metrics
 * (autoscaling/v2, v2beta*) or without targetCPUUtilizationPercentage (autoscaling/v1) scales on 80% cpu
 * utilisation (pkg/apis/autoscaling/v2/defaults.go, v1/conversion.go).
 */
export function resourceMetricsOf(o: K8sObject): ResourceMetric[] {
  if (isScaledObject(o)) return kedaResourceMetrics(o);
  if (!isHpa(o)) return [];
  if (o.apiVersion === 'autoscaling/v1') {
    const target = getAt(o.raw, '/spec/targetCPUUtilizationPercentage');
    if (typeof target === 'number') {
      return [
        {
          resource: 'cpu',
          utilization: true,
          averageUtilization: target,
          implicit: false,
          path: '/spec/targetCPUUtilizationPercentage',
        },
      ];
    }
    // autoscaling/v1 keeps v2 metrics it cannot express in an annotation; only with none is cpu the default.
    const annotated = getAt(o.raw, joinPath('/metadata/annotations', V1_METRICS_ANNOTATION));
    if (typeof annotated === 'string' && annotated.trim() !== '') {
      try {
        const parsed = JSON.parse(annotated) as JsonValue;
        if (Array.isArray(parsed) && parsed.length > 0) return metricList(parsed, '/metadata/annotations');
      } catch {
        return [];
      }
    }
    return [implicitCpu('/spec/targetCPUUtilizationPercentage')];
  }
  const metrics = getAt(o.raw, '/spec/metrics');
  if (!Array.isArray(metrics) || metrics.length === 0) return [implicitCpu('/spec/metrics')];
  return metricList(metrics, '/spec/metrics');
}

function implicitCpu(path: string): ResourceMetric {
  return {
    resource: 'cpu',
    utilization: true,
    averageUtilization: DEFAULT_CPU_UTILIZATION,
    implicit: true,
    path,
  };
}

/** Reads autoscaling/v2 and v2beta2 (`target`) as well as v2beta1 (`targetAverageUtilization`) metric specs. */
function metricList(items: JsonValue[], base: string): ResourceMetric[] {
  const out: ResourceMetric[] = [];
  items.forEach((m, i) => {
    if (!isJsonObject(m)) return;
    const field =
      m['type'] === 'Resource' ? 'resource' : m['type'] === 'ContainerResource' ? 'containerResource' : '';
    if (!field) return;
    const source = m[field];
    if (!isJsonObject(source) || typeof source['name'] !== 'string') return;
    const target = source['target'];
    const v2Utilization = isJsonObject(target) && target['type'] === 'Utilization';
    const v2beta1Utilization = typeof source['targetAverageUtilization'] === 'number';
    const percent = v2Utilization ? target['averageUtilization'] : source['targetAverageUtilization'];
    const metric: ResourceMetric = {
      resource: source['name'],
      utilization: v2Utilization || v2beta1Utilization,
      implicit: false,
      path: joinPath(base, i),
    };
    if (typeof percent === 'number') metric.averageUtilization = percent;
    if (field === 'containerResource' && typeof source['container'] === 'string') {
      metric.container = source['container'];
    }
    out.push(metric);
  });
  return out;
}

/** KEDA's cpu and memory scalers are HPA Resource (or ContainerResource) metrics. */
function kedaResourceMetrics(o: K8sObject): ResourceMetric[] {
  const triggers = getAt(o.raw, '/spec/triggers');
  if (!Array.isArray(triggers)) return [];
  const out: ResourceMetric[] = [];
  triggers.forEach((t, i) => {
    if (!isJsonObject(t) || (t['type'] !== 'cpu' && t['type'] !== 'memory')) return;
    const metadata = isJsonObject(t['metadata']) ? t['metadata'] : {};
    // trigger.metricType replaced metadata.type; either may be set.
    const type = typeof t['metricType'] === 'string' ? t['metricType'] : metadata['type'];
    const metric: ResourceMetric = {
      resource: t['type'],
      utilization: type === 'Utilization',
      implicit: false,
      path: joinPath('/spec/triggers', i),
    };
    const value = Number(metadata['value']);
    if (metric.utilization && Number.isFinite(value)) metric.averageUtilization = value;
    if (typeof metadata['containerName'] === 'string' && metadata['containerName'] !== '') {
      metric.container = metadata['containerName'];
    }
    out.push(metric);
  });
  return out;
}

// ---- resource requests as the API server and admission leave them

/** Pod-level requests (PodLevelResources) are honoured from 1.34, where the feature is beta and on by default. */
export const POD_LEVEL_RESOURCES_SINCE = '1.34';
const POD_LEVEL_RESOURCES = ['cpu', 'memory'];

function resourceKeys(v: JsonValue | undefined): string[] {
  if (!isJsonObject(v)) return [];
  return Object.entries(v)
    .filter(([, q]) => q !== null && q !== undefined && q !== '')
    .map(([k]) => k);
}

/**
 * Resources a LimitRange of the namespace gives every container a request for: its Container item's
 * defaultRequest, or default / max / min, which the API defaults defaultRequest from
 * (SetDefaults_LimitRangeItem); the LimitRanger admission plugin then fills them in.
 */
export function limitRangeRequestDefaults(index: ObjectIndex, namespace: string): Set<string> {
  const out = new Set<string>();
  for (const lr of index.ofKind('LimitRange')) {
    if (lr.namespace !== namespace) continue;
    const limits = getAt(lr.raw, '/spec/limits');
    if (!Array.isArray(limits)) continue;
    for (const item of limits) {
      if (!isJsonObject(item) || item['type'] !== 'Container') continue;
      for (const field of ['defaultRequest', 'default', 'max', 'min']) {
        for (const k of resourceKeys(item[field])) out.add(k);
      }
    }
  }
  return out;
}

/** Resources the container requests: its requests, plus its limits (a limit without a request defaults it). */
export function containerRequests(
  c: Container | { raw: JsonValue },
  defaults?: ReadonlySet<string>,
): Set<string> {
  const resources = isJsonObject(c.raw) ? c.raw['resources'] : undefined;
  const out = new Set<string>();
  if (isJsonObject(resources)) {
    for (const k of resourceKeys(resources['requests'])) out.add(k);
    for (const k of resourceKeys(resources['limits'])) out.add(k);
  }
  for (const k of defaults ?? []) out.add(k);
  return out;
}

/**
 * cpu/memory requested for the whole pod (spec.resources; a pod-level limit defaults the request), when
 * the target version honours pod-level resources; undefined when the pod sets none.
 */
export function podLevelRequests(w: Workload, kubeVersion: string): Set<string> | undefined {
  if (!atLeast(kubeVersion, POD_LEVEL_RESOURCES_SINCE)) return undefined;
  const out = containerRequests({ raw: w.podSpec });
  const supported = new Set([...out].filter((k) => POD_LEVEL_RESOURCES.includes(k)));
  return supported.size > 0 ? supported : undefined;
}

/** Every container of the pod that runs for its life or before it (init containers included). */
export function allContainerRaws(w: Workload): JsonValue[] {
  const list = (f: string): JsonValue[] => {
    const v = w.podSpec[f];
    return Array.isArray(v) ? v : [];
  };
  return [...list('containers'), ...list('initContainers')];
}

export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---- VPA

/** VPA update modes that change the requests of running pods. */
const UPDATING_MODES = ['Auto', 'Recreate', 'InPlaceOrRecreate', 'InPlace'];
/** VPA update modes whose updater evicts pods: InPlaceOrRecreate falls back to eviction when a resize fails. */
const EVICTING_MODES = ['Auto', 'Recreate', 'InPlaceOrRecreate'];

/** updatePolicy.updateMode; unset is Auto (Recreate in newer VPAs, which behave the same). */
export function vpaUpdateMode(vpa: K8sObject): string {
  const mode = getAt(vpa.raw, '/spec/updatePolicy/updateMode');
  return typeof mode === 'string' && mode !== '' ? mode : 'Auto';
}

/** "updateMode Recreate", or says that the unset mode is Auto. */
export function vpaModeText(vpa: K8sObject): string {
  const written = getAt(vpa.raw, '/spec/updatePolicy/updateMode');
  return typeof written === 'string' && written !== ''
    ? `updateMode ${written}`
    : 'updateMode unset, so Auto';
}

export function vpaUpdatesRunningPods(vpa: K8sObject): boolean {
  return UPDATING_MODES.includes(vpaUpdateMode(vpa));
}

export function vpaEvictsPods(vpa: K8sObject): boolean {
  return EVICTING_MODES.includes(vpaUpdateMode(vpa));
}

/** Whether the VPA sets this resource's request on this container: mode not Off, resource in controlledResources (default cpu and memory). */
export function vpaControls(vpa: K8sObject, container: string, resource: string): boolean {
  const controlled: readonly string[] = controlledResources(
    containerPolicyFor(resourcePolicyOf(vpa), container),
  );
  return controlled.includes(resource);
}

/** Container names a VPA names in its policies (used when the target workload is not in the input). */
export function vpaPolicyContainers(vpa: K8sObject): string[] {
  return resourcePolicyOf(vpa)
    .containerPolicies.map((p) => p.containerName)
    .filter((name) => name !== '*');
}
