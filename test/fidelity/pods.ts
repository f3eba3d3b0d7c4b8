/** Reading pods and workloads off the API server's JSON: the helpers both the placement and the failure runs use. */
import type { JsonObject } from '../../src/model/types.js';
import { API_PATHS, CLUSTER_KINDS } from './case.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API server
export type Obj = any;

/** Where the API serves an object of a case's kinds (cluster-wide kinds ignore the namespace). */
export function resourcePath(kind: string, namespace: string, name?: string): string {
  const api = API_PATHS[kind]!;
  const base = api.apiVersion === 'v1' ? '/api/v1' : `/apis/${api.apiVersion}`;
  const scope = CLUSTER_KINDS.has(kind) ? '' : `/namespaces/${namespace}`;
  return `${base}${scope}/${api.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export const terminating = (p: Obj): boolean => Boolean(p.metadata.deletionTimestamp);
export const isReady = (p: Obj): boolean =>
  (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
/** kube-scheduler tried and found no node: PodScheduled=False, reason Unschedulable. */
export const isUnschedulable = (p: Obj): boolean =>
  !p.spec.nodeName &&
  (p.status?.conditions ?? []).some(
    (c: Obj) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );

/** Pods whose labels a selector's matchLabels (the only part case files use) match. */
export function selected(m: JsonObject): (p: Obj) => boolean {
  const labels = ((m['spec'] as JsonObject)['selector'] as JsonObject)['matchLabels'] as Record<
    string,
    string
  >;
  return (p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v);
}

/** Pods of one workload: a bare Pod by name, a controller's by its selector. */
export function podFilter(m: JsonObject): (p: Obj) => boolean {
  const meta = m['metadata'] as JsonObject;
  if (m['kind'] === 'Pod') return (p) => p.metadata.name === meta['name'];
  return selected(m);
}

export function desiredOf(m: JsonObject): number {
  if (m['kind'] === 'Pod') return 1;
  const r = (m['spec'] as JsonObject)['replicas'];
  return typeof r === 'number' ? r : 1;
}
