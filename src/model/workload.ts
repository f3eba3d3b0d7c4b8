import { isInt32 } from './number-text.js';
import { getAt } from './json-path.js';
import { parseSelector, stringMap, type LabelSelector, type Labels } from './labels.js';
import { isJsonObject, type JsonObject, type K8sObject } from './types.js';
import {
  isOperatorWorkload,
  OPERATOR_GENERATED_LABELS,
  operatorPodLabels,
  operatorReplicas,
  type OperatorWorkloadKind,
} from './operator-workloads.js';

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
  'Rollout',
] as const;
/**
 * The kinds whose pods kubeha knows: WORKLOAD_KINDS, which carry a pod template, and the operator
 * resources of operator-workloads.ts, whose pods their operator builds from the resource's fields.
 */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number] | OperatorWorkloadKind;

/** Kinds whose spec.replicas is the number of identical pods kept running. */
/** The workload kinds Kubernetes serves itself (an Argo Rollout needs its add-on). */
export const BUILTIN_WORKLOAD_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
];

export const REPLICATED_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
  'Prometheus',
  'Alertmanager',
  'ThanosRuler',
];

export interface Container {
  name: string;
  raw: JsonObject;
  /** JSON pointer from the object's root. */
  path: string;
  /** Init containers with restartPolicy Always (native sidecars) run for the pod's life. */
  kind: 'app' | 'init' | 'sidecar';
}

/** The pod-template view of any object that makes pods. */
export interface Workload {
  object: K8sObject;
  kind: WorkloadKind;
  /** `namespace/Kind/name`. */
  id: string;
  podSpec: JsonObject;
  /** JSON pointer of the pod spec inside the object (`/spec/template/spec`, `/spec` for a Pod). */
  podSpecPath: string;
  /** JSON pointer of the pod template's metadata (`/metadata` for a Pod). */
  podMetadataPath: string;
  podLabels: Labels;
  selector: LabelSelector | undefined;
  /** spec.replicas as written; undefined when unset. */
  declaredReplicas: number | undefined;
  /** The replica count the controller keeps (unset = 1); undefined for kinds without one. */
  replicas: number | undefined;
  /** Serves continuously (not a Job or CronJob). */
  longRunning: boolean;
  /** A bare Pod with no controller owner. */
  singleton: boolean;
  /** Containers that run for the pod's life (app containers and native sidecars). */
  containers: Container[];
  /** An Argo Rollout whose template lives in another workload (spec.workloadRef). */
  templateRef?: { kind: string; name: string };
}

function isWorkloadKind(kind: string): kind is (typeof WORKLOAD_KINDS)[number] {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

const TEMPLATE_PATH: Record<(typeof WORKLOAD_KINDS)[number], string> = {
  Deployment: '/spec/template',
  StatefulSet: '/spec/template',
  DaemonSet: '/spec/template',
  ReplicaSet: '/spec/template',
  ReplicationController: '/spec/template',
  Job: '/spec/template',
  CronJob: '/spec/jobTemplate/spec/template',
  Rollout: '/spec/template',
  Pod: '',
};

/** The workload view of an object, or undefined when the object makes no pods. */
export function toWorkload(object: K8sObject): Workload | undefined {
  if (isOperatorWorkload(object)) return operatorWorkload(object);
  const kind = object.kind;
  if (!isWorkloadKind(kind)) return undefined;
  if (kind === 'Rollout' && !object.apiVersion.startsWith('argoproj.io/')) return undefined;
  const raw = object.raw;
  const templatePath = TEMPLATE_PATH[kind];
  const podSpecPath = templatePath + '/spec';
  const podMetadataPath = templatePath + '/metadata';
  const specValue = getAt(raw, podSpecPath);
  const podSpec = isJsonObject(specValue) ? specValue : {};
  const podLabels = stringMap(getAt(raw, podMetadataPath + '/labels'));
  const replicasValue = getAt(raw, '/spec/replicas');
  const declaredReplicas = isInt32(replicasValue) ? replicasValue : undefined; // what the API server decodes
  const replicated = REPLICATED_KINDS.includes(kind);
  const workloadRef = getAt(raw, '/spec/workloadRef');
  const owners = getAt(raw, '/metadata/ownerReferences');
  const singleton =
    kind === 'Pod' &&
    !(Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['controller'] === true));
  const w: Workload = {
    object,
    kind,
    id: object.id,
    podSpec,
    podSpecPath,
    podMetadataPath,
    podLabels,
    selector: kind === 'Pod' ? undefined : parseSelector(getAt(raw, '/spec/selector')),
    declaredReplicas,
    replicas: replicated ? (declaredReplicas ?? 1) : undefined,
    longRunning: kind !== 'Job' && kind !== 'CronJob' && !isRunToCompletionPod(kind, podSpec),
    singleton,
    containers: containersOf(podSpec, podSpecPath),
  };
  if (kind === 'Rollout' && isJsonObject(workloadRef) && typeof workloadRef['name'] === 'string') {
    w.templateRef = {
      kind: typeof workloadRef['kind'] === 'string' ? workloadRef['kind'] : 'Deployment',
      name: workloadRef['name'],
    };
  }
  return w;
}

/**
 * A prometheus-operator resource as a workload: its scheduling fields are under spec, where a pod spec
 * has them; its containers are the operator's (the manifest's spec.containers only patch them), so
 * none are listed for the container rules to judge.
 */
function operatorWorkload(object: K8sObject & { kind: OperatorWorkloadKind }): Workload {
  const replicasValue = getAt(object.raw, '/spec/replicas');
  const spec = getAt(object.raw, '/spec');
  return {
    object,
    kind: object.kind,
    id: object.id,
    podSpec: isJsonObject(spec) ? spec : {},
    podSpecPath: '/spec',
    podMetadataPath: '/spec/podMetadata',
    podLabels: operatorPodLabels(object),
    selector: undefined,
    declaredReplicas: isInt32(replicasValue) ? replicasValue : undefined,
    replicas: operatorReplicas(object),
    longRunning: true,
    singleton: false,
    containers: [],
  };
}

function isRunToCompletionPod(kind: WorkloadKind, podSpec: JsonObject): boolean {
  const policy = podSpec['restartPolicy'];
  return kind === 'Pod' && (policy === 'Never' || policy === 'OnFailure');
}

function containersOf(podSpec: JsonObject, podSpecPath: string): Container[] {
  const out: Container[] = [];
  const list = (field: 'containers' | 'initContainers'): void => {
    const items = podSpec[field];
    if (!Array.isArray(items)) return;
    items.forEach((c, i) => {
      if (!isJsonObject(c)) return;
      const isSidecar = field === 'initContainers' && c['restartPolicy'] === 'Always';
      if (field === 'initContainers' && !isSidecar) return;
      out.push({
        name: typeof c['name'] === 'string' ? c['name'] : `#${i}`,
        raw: c,
        path: `${podSpecPath}/${field}/${i}`,
        kind: field === 'containers' ? 'app' : 'sidecar',
      });
    });
  };
  list('containers');
  list('initContainers');
  return out;
}

/** "Deployment web" — how messages name a workload. */
export function describe(w: Workload | K8sObject): string {
  const o = 'object' in w ? w.object : w;
  return `${o.kind} ${o.name}`;
}

const JOB_LABELS = {
  keys: [
    'batch.kubernetes.io/controller-uid',
    'batch.kubernetes.io/job-name',
    'controller-uid',
    'job-name',
    'batch.kubernetes.io/job-completion-index',
  ],
  perPod: ['batch.kubernetes.io/job-completion-index'],
};
/**
 * Labels controllers add to every pod they create, beyond the template's (their values are not in the
 * manifest), and which of them differ from pod to pod.
 */
export const CONTROLLER_POD_LABELS: Partial<
  Record<WorkloadKind, { keys: readonly string[]; perPod: readonly string[] }>
> = {
  Deployment: { keys: ['pod-template-hash'], perPod: [] },
  Rollout: { keys: ['rollouts-pod-template-hash'], perPod: [] },
  StatefulSet: {
    keys: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
    perPod: ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  },
  DaemonSet: { keys: ['controller-revision-hash', 'pod-template-generation'], perPod: [] },
  Job: JOB_LABELS,
  CronJob: JOB_LABELS,
  ...OPERATOR_GENERATED_LABELS,
};
