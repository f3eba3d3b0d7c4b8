/**
 * Which workloads a right-sizing looks at, and what each asks for today: the replicated kinds and
 * DaemonSets that no controller owns (a Deployment's ReplicaSets are the Deployment's), their
 * long-running containers (app containers and native sidecars) and the usage query that finds
 * their pods, and the VerticalPodAutoscaler whose policy bounds their recommendation. Pure.
 */
import { getAt } from '../model/json-path.js';
import { ObjectIndex } from '../model/object-index.js';
import { parseQuantity } from '../model/quantity.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { toWorkload, type Workload } from '../model/workload.js';
import type { Amounts, ContainerResources, RightsizeTarget, TargetContainer } from './types.js';
import { workloadVpa } from './vpa-object.js';

/** The kinds whose pods are measured and whose template is resized. */
export const RIGHTSIZED_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
];

/** A workload the user named: `deployment/web` (kind case-insensitive, plural accepted), or a name. */
export interface WorkloadName {
  readonly kind?: string;
  readonly name: string;
}

/** `deployment/web`, `deploy/web`, `statefulsets/db` or `web`; undefined when it is not one of these. */
export function parseWorkloadName(text: string): WorkloadName | undefined {
  const parts = text.split('/');
  if (parts.length === 1) return parts[0] ? { name: parts[0] } : undefined;
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const kind = KIND_ALIASES[parts[0].toLowerCase()];
  return kind ? { kind, name: parts[1] } : undefined;
}

const KIND_ALIASES: Readonly<Record<string, string>> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  rc: 'ReplicationController',
  rollout: 'Rollout',
  rollouts: 'Rollout',
  ro: 'Rollout',
};

function ownedByController(o: K8sObject): boolean {
  const owners = getAt(o.raw, '/metadata/ownerReferences');
  return Array.isArray(owners) && owners.some((r) => isJsonObject(r) && r['controller'] === true);
}

function amounts(value: unknown): Amounts {
  if (!isJsonObject(value)) return {};
  const cpu = parseQuantity(value['cpu']);
  const memory = parseQuantity(value['memory']);
  return {
    ...(cpu !== undefined ? { cpuCores: cpu } : {}),
    ...(memory !== undefined ? { memoryBytes: Math.ceil(memory) } : {}),
  };
}

/**
 * A container's requests and limits as the API server leaves them: a limit without a request makes
 * the request equal to the limit (core/v1 defaulting), which is what the scheduler and the HPA see.
 */
export function resourcesOf(container: unknown): ContainerResources {
  const resources = isJsonObject(container) ? container['resources'] : undefined;
  const requests = amounts(isJsonObject(resources) ? resources['requests'] : undefined);
  const limits = amounts(isJsonObject(resources) ? resources['limits'] : undefined);
  return {
    requests: {
      ...(limits.cpuCores !== undefined ? { cpuCores: limits.cpuCores } : {}),
      ...(limits.memoryBytes !== undefined ? { memoryBytes: limits.memoryBytes } : {}),
      ...requests,
    },
    limits,
  };
}

/**
 * The pod selector as labels: matchLabels, plus each `In` expression with one value. Any other
 * expression cannot be asked of a source that selects by label equality; it is said, not guessed.
 */
function selectorLabels(w: Workload): { labels: Record<string, string>; problem?: string } {
  const selector = w.selector;
  if (!selector) {
    // A Deployment or the like without a selector is refused by the API server; a DaemonSet too.
    return { labels: {}, problem: 'it has no pod selector: its pods cannot be found' };
  }
  const labels: Record<string, string> = { ...selector.matchLabels };
  for (const e of selector.matchExpressions) {
    if (e.operator === 'In' && e.values.length === 1) labels[e.key] = e.values[0]!;
    else
      return {
        labels,
        problem: `its selector's expression "${e.key} ${e.operator}${e.values.length ? ` (${e.values.join(', ')})` : ''}" cannot be asked as labels: its pods are not measured`,
      };
  }
  if (Object.keys(labels).length === 0)
    return { labels, problem: 'its selector is empty: it would measure every pod of the namespace' };
  return { labels };
}

function targetOf(o: K8sObject, index: ObjectIndex): RightsizeTarget | undefined {
  const w = toWorkload(o);
  if (!w || !RIGHTSIZED_KINDS.includes(w.kind)) return undefined;
  const vpa = workloadVpa(index.vpasFor(w));
  const containers: TargetContainer[] = w.containers
    .filter((c) => c.kind !== 'init')
    .map((c) => ({ name: c.name, path: c.path, current: resourcesOf(c.raw) }));
  const { labels, problem } = selectorLabels(w);
  return {
    object: o,
    id: o.id,
    query: {
      workload: { kind: o.kind, namespace: o.namespace, name: o.name },
      matchLabels: labels,
      containers: containers.map((c) => c.name),
    },
    containers,
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    ...(vpa ? { vpa } : {}),
    problems: [...(problem ? [problem] : []), ...(containers.length === 0 ? ['it has no containers'] : [])],
  };
}

/**
 * The workloads to right-size among `objects`, in input order: all of them, or those `names`
 * names (a name matches any rightsized kind). Names that match nothing are returned for the caller
 * to report.
 */
export function rightsizeTargets(
  objects: readonly K8sObject[],
  names: readonly WorkloadName[] = [],
): { targets: RightsizeTarget[]; unmatched: WorkloadName[] } {
  const candidates = objects.filter((o) => RIGHTSIZED_KINDS.includes(o.kind) && !ownedByController(o));
  const matches = (o: K8sObject, n: WorkloadName): boolean =>
    o.name === n.name && (n.kind === undefined || n.kind === o.kind);
  const chosen = names.length ? candidates.filter((o) => names.some((n) => matches(o, n))) : candidates;
  const unmatched = names.filter((n) => !candidates.some((o) => matches(o, n)));
  const index = new ObjectIndex(objects);
  return { targets: chosen.flatMap((o) => targetOf(o, index) ?? []), unmatched };
}
