/**
 * What live objects say beyond their spec: status conditions, pod readiness, API registrations, node
 * zones and schedulability. Only a scan has these; manifests carry no status.
 */
import { getAt } from './json-path.js';
import { stringMap } from './labels.js';
import type { ObjectIndex } from './object-index.js';
import { cutAtWord } from './text.js';
import { isJsonObject, type JsonValue, type K8sObject } from './types.js';

export interface Condition {
  type: string;
  /** "True", "False" or "Unknown". */
  status: string;
  reason: string | undefined;
  message: string | undefined;
  /** JSON pointer of the condition in its object. */
  path: string;
}

/** status.conditions, the shape every built-in controller and the aggregator write. */
export function conditions(o: K8sObject): Condition[] {
  const list = getAt(o.raw, '/status/conditions');
  if (!Array.isArray(list)) return [];
  const out: Condition[] = [];
  list.forEach((c, i) => {
    if (!isJsonObject(c) || typeof c['type'] !== 'string') return;
    out.push({
      type: c['type'],
      status: typeof c['status'] === 'string' ? c['status'] : 'Unknown',
      reason: typeof c['reason'] === 'string' && c['reason'] !== '' ? c['reason'] : undefined,
      message: typeof c['message'] === 'string' && c['message'] !== '' ? c['message'] : undefined,
      path: `/status/conditions/${i}`,
    });
  });
  return out;
}

export function condition(o: K8sObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

/** "FailedDiscoveryCheck: failing or missing response from …", cut short: messages carry whole URLs and errors. */
export function describeCondition(c: Condition, max = 160): string {
  // A controller's message is read, not parsed: cut at a word boundary.
  return cutAtWord(
    [c.reason, c.message].filter((s) => s !== undefined).join(': ') || `status ${c.status}`,
    max,
  );
}

/** Whether every kind is among those the scan could list: only then does a missing object prove absence. */
export function listedAll(listed: ReadonlySet<string>, kinds: readonly string[]): boolean {
  return kinds.every((k) => listed.has(k));
}

/** An RFC 3339 timestamp in ms since the epoch; undefined when absent or unreadable. */
export function timeMs(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** "3 min", "2 h 5 min": how long ago, for messages. */
export function formatAgo(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

// ---- pods

/** Ready as endpoints and the disruption controller see it: condition Ready True, and not being deleted. */
export function isPodReady(pod: K8sObject): boolean {
  if (getAt(pod.raw, '/metadata/deletionTimestamp') !== undefined) return false;
  return condition(pod, 'Ready')?.status === 'True';
}

export function nodeNameOf(pod: K8sObject): string | undefined {
  const n = getAt(pod.raw, '/spec/nodeName');
  return typeof n === 'string' && n !== '' ? n : undefined;
}

// ---- APIServices (apiregistration.k8s.io)

export function apiService(index: ObjectIndex, name: string): K8sObject | undefined {
  return index.ofKind('APIService').find((o) => o.name === name);
}

/** The aggregator serves an API group version only while its APIService's Available condition is True. */
export function isAvailable(apiService: K8sObject): boolean {
  return condition(apiService, 'Available')?.status === 'True';
}

// ---- CustomResourceDefinitions

const crdCache = new WeakMap<ObjectIndex, Set<string>>();

/** Names of the installed CRDs (`<plural>.<group>`). */
export function crdNames(index: ObjectIndex): ReadonlySet<string> {
  let names = crdCache.get(index);
  if (!names) {
    names = new Set(index.ofKind('CustomResourceDefinition').map((o) => o.name));
    crdCache.set(index, names);
  }
  return names;
}

// ---- nodes

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
const LEGACY_ZONE_LABEL = 'failure-domain.beta.kubernetes.io/zone';

/** The node's zone label (the deprecated beta label on nodes old kubelets registered). */
export function zoneOf(node: K8sObject): string | undefined {
  const labels = stringMap(getAt(node.raw, '/metadata/labels'));
  const zone = labels[ZONE_LABEL] ?? labels[LEGACY_ZONE_LABEL];
  return zone === undefined || zone === '' ? undefined : zone;
}

/**
 * Whether an ordinary pod can be scheduled on the node: not cordoned, and no NoSchedule or NoExecute
 * taint. An ordinary pod tolerates none of them: the only tolerations Kubernetes adds by itself (for
 * not-ready and unreachable, NoExecute, 300 s) come with a NoSchedule taint of the same key on such nodes,
 * so a node that needs them is not schedulable anyway. Control-plane and dedicated nodes are left out.
 */
export function isSchedulable(node: K8sObject): boolean {
  if (getAt(node.raw, '/spec/unschedulable') === true) return false;
  const taints = getAt(node.raw, '/spec/taints');
  if (!Array.isArray(taints)) return true;
  return !taints.some(
    (t) => isJsonObject(t) && (t['effect'] === 'NoSchedule' || t['effect'] === 'NoExecute'),
  );
}

/** Schedulable nodes, by name. */
export function schedulableNodes(index: ObjectIndex): K8sObject[] {
  return index
    .ofKind('Node')
    .filter(isSchedulable)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The zones the schedulable nodes are labelled with, sorted. */
export function schedulableZones(index: ObjectIndex): string[] {
  const zones = new Set<string>();
  for (const n of schedulableNodes(index)) {
    const z = zoneOf(n);
    if (z !== undefined) zones.add(z);
  }
  return [...zones].sort();
}

// ---- where cluster-wide findings go

/**
 * The object a cluster-wide finding (nothing installed) is reported on: the kube-system Namespace, where
 * the add-ons the posture rules look for are usually installed and which every cluster has, else the
 * first Node. When the scan could list neither, a reference to kube-system stands in: it exists in every
 * cluster, so the finding still names a real object.
 */
export function clusterAnchor(index: ObjectIndex): K8sObject {
  const ns = index.ofKind('Namespace').find((o) => o.name === 'kube-system');
  if (ns) return ns;
  const node = [...index.ofKind('Node')].sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  if (node) return node;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    name: 'kube-system',
    namespace: '',
    id: 'Namespace/kube-system',
    raw: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  };
}
