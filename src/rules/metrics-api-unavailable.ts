import { isHpa, scaleTargetOf } from '../model/autoscaling.js';
import { getAt, joinPath } from '../model/json-path.js';
import { apiService, condition, describeCondition, isAvailable } from '../model/live.js';
import { isJsonObject, type JsonValue, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

type MetricsApi = 'resource' | 'custom' | 'external';

/**
 * The APIServices that serve each metrics API to the HPA controller. It reads resource and external
 * metrics at v1beta1; for custom metrics it asks discovery for the preferred version, so v1beta2 serves
 * too (k8s.io/metrics/pkg/client/custom_metrics/multi_client.go).
 */
const APIS: Record<MetricsApi, { names: readonly string[]; provider: string }> = {
  resource: { names: ['v1beta1.metrics.k8s.io'], provider: 'the Kubernetes metrics server' },
  custom: {
    names: ['v1beta1.custom.metrics.k8s.io', 'v1beta2.custom.metrics.k8s.io'],
    provider: 'a custom metrics adapter (prometheus-adapter, or KEDA for its own metrics)',
  },
  external: {
    names: ['v1beta1.external.metrics.k8s.io'],
    provider: 'an external metrics adapter (KEDA, prometheus-adapter or a cloud provider adapter)',
  },
};

const API_OF_TYPE: Record<string, MetricsApi> = {
  Resource: 'resource',
  ContainerResource: 'resource',
  Pods: 'custom',
  Object: 'custom',
  External: 'external',
};

const V1_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';

/** The metrics APIs an HPA reads, each with the JSON pointer of the first metric that needs it. */
function apisOf(hpa: K8sObject): Map<MetricsApi, string> {
  const out = new Map<MetricsApi, string>();
  const add = (list: JsonValue | undefined, pathOf: (i: number) => string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((m, i) => {
      const api = isJsonObject(m) && typeof m['type'] === 'string' ? API_OF_TYPE[m['type']] : undefined;
      if (api && !out.has(api)) out.set(api, pathOf(i));
    });
  };
  if (hpa.apiVersion === 'autoscaling/v1') {
    // v1 scales on cpu (80% when unset); metrics it cannot express wait in an annotation.
    out.set('resource', '/spec/targetCPUUtilizationPercentage');
    const annotation = joinPath('/metadata/annotations', V1_METRICS_ANNOTATION);
    const text = getAt(hpa.raw, annotation);
    if (typeof text === 'string') {
      try {
        add(JSON.parse(text) as JsonValue, () => annotation);
      } catch {
        // An unreadable annotation is the API server's problem to report, not a metrics API question.
      }
    }
    return out;
  }
  const metrics = getAt(hpa.raw, '/spec/metrics');
  // No metrics: the API defaults to 80% average cpu utilisation, a resource metric.
  if (!Array.isArray(metrics) || metrics.length === 0) out.set('resource', '/spec/metrics');
  else add(metrics, (i) => `/spec/metrics/${i}`);
  return out;
}

export default defineRule({
  id: 'metrics-api-unavailable',
  category: 'live',
  defaultSeverity: 'error',
  scope: 'live',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'An HPA whose metrics API (resource, custom or external) is not registered or not Available cannot scale.',
  needs: ['APIService'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact (the metrics API): install or repair the metrics server; no file to edit',
  },
  messages: {
    missing: {
      headline: 'HPA {{hpa}} cannot read metrics: APIService {{service}} is not registered',
      detail:
        'It scales {{target}} on {{api}} metrics, which the HPA controller cannot read, so {{target}} stays at its current size. Install {{provider}}.',
    },
    unavailable: {
      headline: 'HPA {{hpa}} cannot read metrics: APIService {{service}} is not Available',
      detail:
        'It scales {{target}} on {{api}} metrics, but the APIService is not Available ({{reason}}), so the HPA controller cannot read them and {{target}} stays at its current size. Repair {{provider}} (kubectl describe apiservice {{service}}).',
    },
  },
  check({ index, settings, report }) {
    const cluster = settings.cluster;
    if (!cluster?.listed.has('APIService')) return;
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      const t = scaleTargetOf(hpa);
      const target = t ? `${t.kind} ${t.name}` : 'its target';
      for (const [api, path] of apisOf(hpa)) {
        const { names, provider } = APIS[api];
        const registered = names.map((n) => apiService(index, n)).filter((s) => s !== undefined);
        if (registered.some(isAvailable)) continue;
        const data = { hpa: hpa.name, target, api, provider };
        const first = registered[0];
        if (!first) {
          report({ object: hpa, path, messageId: 'missing', data: { ...data, service: names[0]! } });
          continue;
        }
        const available = condition(first, 'Available');
        report({
          object: hpa,
          path,
          messageId: 'unavailable',
          data: {
            ...data,
            service: first.name,
            reason: available ? describeCondition(available) : 'no Available condition',
          },
        });
      }
    }
  },
});
