/**
 * The kinds a live scan lists and where the API serves them: a constant the pure engine reads (which
 * kinds a scan could not list) and the cluster reader walks.
 */

/** One kind kubeha lists, and where the API serves it. */
export interface ResourceType {
  group: string;
  /** Versions to use, best first; the first one the cluster serves wins. */
  versions: readonly string[];
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Served only when an add-on is installed (VPA, Argo Rollouts, Flagger, Istio): skipped quietly when absent. */
  addon?: boolean;
}

/**
 * What scan reads: the workloads and everything the rules join them with, the nodes, and what tells
 * which add-ons are installed. Never Secrets (nor ConfigMaps: nothing here needs them, and they often
 * hold what should have been a Secret).
 */
export const SCANNED: readonly ResourceType[] = [
  { group: '', versions: ['v1'], kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', versions: ['v1'], kind: 'Node', plural: 'nodes', namespaced: false },
  { group: '', versions: ['v1'], kind: 'Pod', plural: 'pods', namespaced: true },
  { group: '', versions: ['v1'], kind: 'Service', plural: 'services', namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  { group: 'apps', versions: ['v1'], kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  { group: 'batch', versions: ['v1'], kind: 'Job', plural: 'jobs', namespaced: true },
  { group: 'batch', versions: ['v1'], kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  {
    group: 'policy',
    versions: ['v1'],
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  {
    group: 'autoscaling',
    versions: ['v2'],
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  // Who wins the room after a failure: the simulator's preemption and missing-priority-class read them.
  {
    group: 'scheduling.k8s.io',
    versions: ['v1'],
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    namespaced: false,
  },
  {
    group: 'apiregistration.k8s.io',
    versions: ['v1'],
    kind: 'APIService',
    plural: 'apiservices',
    namespaced: false,
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  {
    group: 'autoscaling.k8s.io',
    versions: ['v1'],
    kind: 'VerticalPodAutoscaler',
    plural: 'verticalpodautoscalers',
    namespaced: true,
    addon: true,
  },
  {
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    kind: 'Rollout',
    plural: 'rollouts',
    namespaced: true,
    addon: true,
  },
  {
    group: 'flagger.app',
    versions: ['v1beta1'],
    kind: 'Canary',
    plural: 'canaries',
    namespaced: true,
    addon: true,
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    kind: 'VirtualService',
    plural: 'virtualservices',
    namespaced: true,
    addon: true,
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    kind: 'DestinationRule',
    plural: 'destinationrules',
    namespaced: true,
    addon: true,
  },
  {
    // Linkerd's per-route retries and timeouts (mesh-no-retries, mesh-no-timeout).
    group: 'linkerd.io',
    versions: ['v1alpha2'],
    kind: 'ServiceProfile',
    plural: 'serviceprofiles',
    namespaced: true,
    addon: true,
  },
  {
    // Gateway API routes whose parent is a Service carry Linkerd's retries and timeouts when the
    // Service has no ServiceProfile (mesh-no-retries, mesh-no-timeout).
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1beta1'],
    kind: 'HTTPRoute',
    plural: 'httproutes',
    namespaced: true,
    addon: true,
  },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    kind: 'GRPCRoute',
    plural: 'grpcroutes',
    namespaced: true,
    addon: true,
  },
  {
    // Istio's rate limiting is an EnvoyFilter that inserts Envoy's rate limit filters (mesh-no-rate-limit).
    group: 'networking.istio.io',
    versions: ['v1alpha3'],
    kind: 'EnvoyFilter',
    plural: 'envoyfilters',
    namespaced: true,
    addon: true,
  },
  {
    // Linkerd's inbound policy target, and the rate limit that names it (mesh-no-rate-limit).
    group: 'policy.linkerd.io',
    versions: ['v1beta3', 'v1beta2', 'v1beta1'],
    kind: 'Server',
    plural: 'servers',
    namespaced: true,
    addon: true,
  },
  {
    group: 'policy.linkerd.io',
    versions: ['v1alpha1'],
    kind: 'HTTPLocalRateLimitPolicy',
    plural: 'httplocalratelimitpolicies',
    namespaced: true,
    addon: true,
  },
];
