/**
 * Custom resources whose pods kubeha cannot see. An operator's resource (a database cluster, a
 * message broker, a Flagger Canary's primary) makes pods from fields only its operator reads, so a
 * PDB or Service in its namespace may select pods no manifest shows. kubeha knows the pods of the
 * Argo Rollouts and prometheus-operator resources it models (workload.ts) and the resources that only
 * configure others (below); any other custom kind may make pods.
 */
import { apiGroup } from './kinds.js';
import type { K8sObject } from './types.js';

/** API groups whose every kind configures other objects and makes no pods. */
const CONFIG_ONLY_GROUPS = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'cert-manager.io',
  'acme.cert-manager.io',
  'external-secrets.io',
  'bitnami.com',
  'traefik.io',
  'traefik.containo.us',
  'linkerd.io',
  'policy.linkerd.io',
]);

/** Kinds of groups that also hold pod-making kinds, which only configure others. */
const CONFIG_ONLY_KINDS: Readonly<Record<string, readonly string[]>> = {
  // PrometheusAgent makes pods kubeha does not model: it is not listed.
  'monitoring.coreos.com': [
    'ServiceMonitor',
    'PodMonitor',
    'Probe',
    'PrometheusRule',
    'AlertmanagerConfig',
    'ScrapeConfig',
  ],
  'argoproj.io': ['AnalysisTemplate', 'ClusterAnalysisTemplate', 'Application', 'AppProject'],
  'keda.sh': ['ScaledObject', 'TriggerAuthentication', 'ClusterTriggerAuthentication'],
  'flagger.app': ['MetricTemplate', 'AlertProvider'],
};

/**
 * Whether the object is a custom resource that may make pods kubeha does not know of: a group outside
 * Kubernetes' own (`*.k8s.io`, and the unqualified built-in groups) that is not one of the known
 * configuration-only kinds. Callers leave out the workloads kubeha models before asking.
 */
export function mayMakeUnknownPods(object: K8sObject): boolean {
  const group = apiGroup(object.apiVersion);
  if (!group.includes('.') || group === 'k8s.io' || group.endsWith('.k8s.io')) return false;
  if (CONFIG_ONLY_GROUPS.has(group)) return false;
  return !(CONFIG_ONLY_KINDS[group]?.includes(object.kind) ?? false);
}
