/**
 * Custom resources whose operator makes the pods: prometheus-operator's Prometheus, Alertmanager and
 * ThanosRuler (monitoring.coreos.com/v1). The manifest holds no pod template, so what the pods look
 * like is read the way the operator builds its StatefulSets (pkg/prometheus/statefulset.go,
 * pkg/alertmanager/statefulset.go, pkg/thanos/statefulset.go):
 * - replicas: spec.replicas, 1 when unset (a negative Alertmanager count is made 0); a Prometheus runs
 *   spec.shards StatefulSets (1 when unset or below 2) of that many pods each;
 * - pod labels: spec.podMetadata.labels, then the labels the operator reserves, which win;
 * - labels whose values are not in the manifest: the version label, the shard number and those the
 *   StatefulSet controller adds to each pod.
 * The scheduling fields (affinity, topologySpreadConstraints, nodeSelector, tolerations…) sit directly
 * under spec, where a pod spec has them, and the operator copies them into its pod template.
 */
import { isInt32 } from './number-text.js';
import { getAt } from './json-path.js';
import { stringMap, type Labels } from './labels.js';
import type { K8sObject } from './types.js';

export const OPERATOR_WORKLOAD_KINDS = ['Prometheus', 'Alertmanager', 'ThanosRuler'] as const;
export type OperatorWorkloadKind = (typeof OPERATOR_WORKLOAD_KINDS)[number];

const GROUP = 'monitoring.coreos.com/';

/** The value of `app.kubernetes.io/name` and of the label that carries the object's name. */
const NAME_LABEL: Record<OperatorWorkloadKind, string> = {
  Prometheus: 'prometheus',
  Alertmanager: 'alertmanager',
  ThanosRuler: 'thanos-ruler',
};

const STATEFULSET_KEYS = [
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
];

/** Labels the operator (and its StatefulSet) adds whose values are not in the manifest, per kind. */
export const OPERATOR_GENERATED_LABELS: Record<
  OperatorWorkloadKind,
  { keys: readonly string[]; perPod: readonly string[] }
> = {
  Prometheus: {
    keys: [...STATEFULSET_KEYS, 'app.kubernetes.io/version', 'operator.prometheus.io/shard'],
    perPod: ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  },
  Alertmanager: {
    keys: [...STATEFULSET_KEYS, 'app.kubernetes.io/version'],
    perPod: ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  },
  ThanosRuler: {
    keys: STATEFULSET_KEYS,
    perPod: ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  },
};

/** Whether the object is a prometheus-operator resource that makes pods (kind and API group both). */
export function isOperatorWorkload(object: K8sObject): object is K8sObject & { kind: OperatorWorkloadKind } {
  return (
    (OPERATOR_WORKLOAD_KINDS as readonly string[]).includes(object.kind) &&
    object.apiVersion.startsWith(GROUP)
  );
}

/** The labels every pod of the resource carries whose values the manifest fixes. */
export function operatorPodLabels(object: K8sObject & { kind: OperatorWorkloadKind }): Labels {
  const name = object.name;
  const reserved: Labels = {
    'app.kubernetes.io/name': NAME_LABEL[object.kind],
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': name,
    [NAME_LABEL[object.kind]]: name,
  };
  if (object.kind === 'Prometheus') reserved['operator.prometheus.io/name'] = name;
  const labels: Labels = { ...stringMap(getAt(object.raw, '/spec/podMetadata/labels')), ...reserved };
  // The operator writes its own value here (the version it runs), whatever podMetadata says.
  if (OPERATOR_GENERATED_LABELS[object.kind].keys.includes('app.kubernetes.io/version'))
    delete labels['app.kubernetes.io/version'];
  return labels;
}

/** How many pods the operator keeps for the resource (all shards of a Prometheus). */
export function operatorReplicas(object: K8sObject & { kind: OperatorWorkloadKind }): number {
  const declared = getAt(object.raw, '/spec/replicas');
  const replicas = isInt32(declared) ? Math.max(declared, 0) : 1;
  if (object.kind !== 'Prometheus') return replicas;
  const shards = getAt(object.raw, '/spec/shards');
  return isInt32(shards) && shards > 1 ? replicas * shards : replicas;
}
