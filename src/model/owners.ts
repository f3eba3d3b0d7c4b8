/**
 * Owner chains as the garbage collector records them (`metadata.ownerReferences`): a live Pod belongs
 * to a ReplicaSet that belongs to a Deployment, a Job's Pod to a Job that belongs to a CronJob. Only
 * the controller reference (`controller: true`) makes an object part of another; other owners only
 * keep it alive.
 */
import { getAt } from './json-path.js';
import { isJsonObject, type K8sObject } from './types.js';
import type { Workload } from './workload.js';

/**
 * The members of an ObjectIndex that the owner joins read. model/object-index.ts calls ownerOf while it
 * builds its workload list, so this file names what it needs rather than importing the class (which
 * would be an import cycle); every ObjectIndex is one.
 */
export interface IndexedObjects {
  readonly objects: readonly K8sObject[];
  ofKind(...kinds: string[]): readonly K8sObject[];
  workload(namespace: string, kind: string, name: string): Workload | undefined;
}

export interface ControllerRef {
  apiVersion: string | undefined;
  kind: string;
  name: string;
  uid: string | undefined;
}

/** The object's controller reference, as written; undefined when it has none. */
export function controllerRef(o: K8sObject): ControllerRef | undefined {
  const refs = getAt(o.raw, '/metadata/ownerReferences');
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (!isJsonObject(r) || r['controller'] !== true) continue;
    if (typeof r['kind'] !== 'string' || typeof r['name'] !== 'string') continue;
    return {
      apiVersion: typeof r['apiVersion'] === 'string' ? r['apiVersion'] : undefined,
      kind: r['kind'],
      name: r['name'],
      uid: typeof r['uid'] === 'string' && r['uid'] !== '' ? r['uid'] : undefined,
    };
  }
  return undefined;
}

function uidOf(o: K8sObject): string | undefined {
  const uid = getAt(o.raw, '/metadata/uid');
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}

interface Lookup {
  byUid: Map<string, K8sObject>;
  byName: Map<string, K8sObject>;
}

const lookups = new WeakMap<IndexedObjects, Lookup>();

function lookup(index: IndexedObjects): Lookup {
  let l = lookups.get(index);
  if (l) return l;
  l = { byUid: new Map(), byName: new Map() };
  for (const o of index.objects) {
    const uid = uidOf(o);
    if (uid) l.byUid.set(uid, o);
    const k = nameKey(o.namespace, o.kind, o.name);
    if (!l.byName.has(k)) l.byName.set(k, o);
  }
  lookups.set(index, l);
  return l;
}

function nameKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

/**
 * The object's controller, when it is in the index. Owner references hold only a name and a uid, and an
 * owner lives in its dependent's namespace (the garbage collector refuses cross-namespace owners). The uid
 * decides when both sides have one: an object of the same name but another uid is a later incarnation,
 * not the owner. Manifests have no uids, so kind and name decide there.
 */
export function ownerOf(index: IndexedObjects, o: K8sObject): K8sObject | undefined {
  const ref = controllerRef(o);
  if (!ref) return undefined;
  const l = lookup(index);
  if (ref.uid) {
    const byUid = l.byUid.get(ref.uid);
    if (byUid) return byUid.namespace === o.namespace && byUid.kind === ref.kind ? byUid : undefined;
  }
  const byName = l.byName.get(nameKey(o.namespace, ref.kind, ref.name));
  if (!byName) return undefined;
  return ref.uid && uidOf(byName) ? undefined : byName;
}

/** The top of the object's controller chain that is in the index (the object itself when it has no owner there). */
export function topOwner(index: IndexedObjects, o: K8sObject): K8sObject {
  let current = o;
  // Owner loops are not possible through the API, but a hand-written manifest can make one.
  const seen = new Set<K8sObject>([o]);
  for (;;) {
    const owner = ownerOf(index, current);
    if (!owner || seen.has(owner)) return current;
    seen.add(owner);
    current = owner;
  }
}

/** Pods by every object on their controller chain: a Deployment's pods are its ReplicaSets' pods. */
const podCache = new WeakMap<IndexedObjects, Map<K8sObject, K8sObject[]>>();

function podsByController(index: IndexedObjects): Map<K8sObject, K8sObject[]> {
  let byOwner = podCache.get(index);
  if (byOwner) return byOwner;
  byOwner = new Map();
  for (const pod of index.ofKind('Pod')) {
    let current = pod;
    const seen = new Set<K8sObject>([pod]);
    for (;;) {
      const owner = ownerOf(index, current);
      if (!owner || seen.has(owner)) break;
      seen.add(owner);
      const list = byOwner.get(owner);
      if (list) list.push(pod);
      else byOwner.set(owner, [pod]);
      current = owner;
    }
  }
  podCache.set(index, byOwner);
  return byOwner;
}

/** The live Pods a workload runs, found through their owner references (none for manifests). */
export function podsOf(index: IndexedObjects, w: Workload | K8sObject): readonly K8sObject[] {
  const o = 'object' in w ? w.object : w;
  return podsByController(index).get(o) ?? [];
}

/**
 * The highest workload on the object's controller chain above it (a Pod's Deployment, a Job pod's
 * CronJob); undefined when no controller of it is in the index. Owners that make no pods (an operator's
 * custom resource) are passed over: findings belong on something with a pod template.
 */
export function owningWorkload(index: IndexedObjects, o: K8sObject): Workload | undefined {
  let found: Workload | undefined;
  let current = o;
  const seen = new Set<K8sObject>([o]);
  for (;;) {
    const owner = ownerOf(index, current);
    if (!owner || seen.has(owner)) return found;
    seen.add(owner);
    const w = index.workload(owner.namespace, owner.kind, owner.name);
    if (w?.object === owner) found = w;
    current = owner;
  }
}
