/**
 * Where a new key goes in an existing mapping: where a person would have written it. Manifests follow
 * a conventional key order (replicas before the selector and template, the rollout strategy next to
 * them, topologySpreadConstraints among the scheduling keys before `containers`); a key appended at
 * the end of a mapping (replicas after a 40-line template) reads as an afterthought and is easy to miss
 * in review.
 */

/** Conventional key orders of the mappings kubeha fix adds keys to. */
const WORKLOAD_SPEC = [
  'replicas',
  'serviceName',
  'podManagementPolicy',
  'selector',
  'strategy',
  'updateStrategy',
  'revisionHistoryLimit',
  'minReadySeconds',
  'progressDeadlineSeconds',
  'paused',
  'template',
  'workloadRef',
  'volumeClaimTemplates',
];
const POD_SPEC = [
  'serviceAccountName',
  'priorityClassName',
  'terminationGracePeriodSeconds',
  'securityContext',
  'nodeSelector',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'initContainers',
  'containers',
  'volumes',
];
const CONTAINER = [
  'name',
  'image',
  'imagePullPolicy',
  'command',
  'args',
  'ports',
  'env',
  'envFrom',
  'resources',
  'startupProbe',
  'livenessProbe',
  'readinessProbe',
  'lifecycle',
  'securityContext',
  'volumeMounts',
];
const PDB_SPEC = ['minAvailable', 'maxUnavailable', 'selector', 'unhealthyPodEvictionPolicy'];
const HPA_SPEC = ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior'];

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'DaemonSet',
  'ReplicationController',
  'Rollout',
]);

/** The conventional order of the mapping at `segments` (the path of the mapping) in an object of `kind`. */
function orderOf(kind: unknown, segments: readonly string[]): readonly string[] | undefined {
  const path = segments.join('/');
  const last2 = segments.slice(-2).join('/');
  if (path === 'spec') {
    if (typeof kind !== 'string') return undefined;
    if (WORKLOAD_KINDS.has(kind)) return WORKLOAD_SPEC;
    if (kind === 'Pod') return POD_SPEC;
    if (kind === 'PodDisruptionBudget') return PDB_SPEC;
    if (kind === 'HorizontalPodAutoscaler') return HPA_SPEC;
    return undefined;
  }
  if (last2 === 'template/spec') return POD_SPEC;
  const parent = segments[segments.length - 2];
  if ((parent === 'containers' || parent === 'initContainers') && /^\d+$/.test(segments.at(-1) ?? ''))
    return CONTAINER;
  return undefined;
}

/**
 * The index a new `key` is inserted at among `keys` (the mapping's keys in file order): before the
 * first key the convention puts after it, else at the end. Keys the convention does not know keep
 * their place and are skipped, so the insertion never splits what the author grouped.
 */
export function insertionIndex(
  kind: unknown,
  segments: readonly string[],
  key: string,
  keys: readonly (string | undefined)[],
): number {
  const order = orderOf(kind, segments);
  const rank = order?.indexOf(key) ?? -1;
  if (!order || rank < 0) return keys.length;
  const at = keys.findIndex((k) => k !== undefined && order.indexOf(k) > rank);
  return at < 0 ? keys.length : at;
}
