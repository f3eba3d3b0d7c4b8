import { fieldOwnersOf, LAST_APPLIED } from '../model/field-owners.js';
import { objectId } from '../model/kinds.js';
import { isJsonObject, type JsonObject, type K8sObject } from '../model/types.js';
import type { ClusterFacts } from '../model/cluster-facts.js';
import { SCANNED, type ResourceType } from '../model/scanned-kinds.js';
import { ApiError, type ClusterClient } from './cluster-client.js';

export { SCANNED, type ResourceType } from '../model/scanned-kinds.js';

export interface ReadOptions {
  /** Only this namespace (cluster-scoped kinds are still read); all namespaces when undefined. */
  namespace?: string;
  /** Items per page (kubectl's --chunk-size). */
  chunkSize?: number;
  /** How many kinds are listed at once. */
  concurrency?: number;
  /** Called as pages arrive, for a progress line. */
  onProgress?: (progress: { kind: string; items: number; done: number; total: number }) => void;
  /** The clock, for ClusterFacts.now. */
  now?: () => number;
  /** Only the kinds this accepts (admission reads a namespace's context, not its pods or the nodes). */
  only?: (type: ResourceType) => boolean;
}

export interface ReadResult {
  objects: K8sObject[];
  facts: ClusterFacts;
  /** One line per kind that could not be read, naming the missing permission or API. */
  warnings: string[];
  /** Items read per kind. */
  counts: Record<string, number>;
  requests: number;
}

/**
 * Reads the cluster through its API, read-only: discovery first (which add-on APIs exist), then every
 * kind of SCANNED with pagination. A 403 or 404 on one kind is a warning and the rest goes on.
 */
export async function readCluster(client: ClusterClient, options: ReadOptions = {}): Promise<ReadResult> {
  const chunkSize = options.chunkSize ?? 500;
  const now = (options.now ?? Date.now)();
  const warnings: string[] = [];
  const counts: Record<string, number> = {};
  const listed = new Set<string>();
  let requests = 0;

  const served = await discoverGroups(client, warnings);
  requests++;
  const plan: { type: ResourceType; version: string }[] = [];
  for (const type of SCANNED) {
    if (options.only && !options.only(type)) continue;
    const version = served ? chooseVersion(type, served) : type.versions[0];
    if (version !== undefined) plan.push({ type, version });
    else if (!type.addon)
      warnings.push(`${describe(type)}: the API ${type.group}/${type.versions[0]} is not served`);
  }

  const byKind = new Map<string, K8sObject[]>();
  let done = 0;
  const listOne = async ({ type, version }: { type: ResourceType; version: string }): Promise<void> => {
    const out: K8sObject[] = [];
    const base = collectionPath(type, version, options.namespace);
    let token: string | undefined;
    try {
      do {
        const query = new URLSearchParams({ limit: String(chunkSize) });
        if (token) query.set('continue', token);
        requests++;
        const page = await client.get(`${base}?${query.toString()}`);
        const items = Array.isArray(page['items']) ? page['items'] : [];
        for (const item of items) if (isJsonObject(item)) out.push(toObject(item, type, version));
        const metadata = isJsonObject(page['metadata']) ? page['metadata'] : {};
        token =
          typeof metadata['continue'] === 'string' && metadata['continue'] !== ''
            ? metadata['continue']
            : undefined;
        options.onProgress?.({ kind: type.kind, items: out.length, done, total: plan.length });
      } while (token);
      byKind.set(type.kind, out);
      counts[type.kind] = out.length;
      listed.add(type.kind);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // An add-on's API that disappears between discovery and list (or a CRD without that version).
      if (e.status === 404 && type.addon) return;
      warnings.push(explainFailure(type, version, options.namespace, e));
    } finally {
      done++;
    }
  };
  await inParallel(plan, options.concurrency ?? 4, listOne);

  // Same order on every run, whatever order the pages arrived in.
  const objects = plan.flatMap(({ type }) => byKind.get(type.kind) ?? []);
  const facts: ClusterFacts = {
    listed,
    now,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
  return { objects, facts, warnings, counts, requests };
}

/** Group name → versions served, from /apis; undefined when discovery itself is refused. */
export async function discoverGroups(
  client: ClusterClient,
  warnings: string[],
): Promise<Map<string, Set<string>> | undefined> {
  try {
    const list = await client.get('/apis');
    const groups = new Map<string, Set<string>>([['', new Set(['v1'])]]);
    for (const g of Array.isArray(list['groups']) ? list['groups'] : []) {
      if (!isJsonObject(g) || typeof g['name'] !== 'string') continue;
      const versions = new Set<string>();
      for (const v of Array.isArray(g['versions']) ? g['versions'] : [])
        if (isJsonObject(v) && typeof v['version'] === 'string') versions.add(v['version']);
      groups.set(g['name'], versions);
    }
    return groups;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    warnings.push(
      `API discovery (GET /apis) failed (${e.status}): ${e.message}; assuming the built-in APIs only`,
    );
    return undefined;
  }
}

export function chooseVersion(type: ResourceType, served: Map<string, Set<string>>): string | undefined {
  const versions = served.get(type.group);
  return versions ? type.versions.find((v) => versions.has(v)) : undefined;
}

/** Where a kind scan reads is listed (its first version), in one namespace or all; undefined for another kind. */
export function listPath(kind: string, namespace?: string): string | undefined {
  const type = SCANNED.find((t) => t.kind === kind);
  return type ? collectionPath(type, type.versions[0]!, namespace) : undefined;
}

export function collectionPath(type: ResourceType, version: string, namespace: string | undefined): string {
  const root = type.group === '' ? `/api/${version}` : `/apis/${type.group}/${version}`;
  return type.namespaced && namespace !== undefined
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
    : `${root}/${type.plural}`;
}

function describe(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** The warning for a kind that could not be listed: what is missing and what to grant. */
export function explainFailure(
  type: ResourceType,
  version: string,
  namespace: string | undefined,
  e: ApiError,
): string {
  const where = type.namespaced
    ? namespace !== undefined
      ? `in namespace ${namespace}`
      : 'in all namespaces'
    : '';
  const resource = describe(type);
  if (e.status === 403)
    return (
      `cannot list ${resource}${where ? ` ${where}` : ''} (403 Forbidden): grant "list" on ${resource}` +
      ` (deploy/rbac.yaml has every permission scan uses); rules that need ${type.kind} objects are skipped`
    );
  if (e.status === 404)
    return `${resource}: ${type.group || 'core'}/${version} is not served (404); rules that need ${type.kind} objects are skipped`;
  return `cannot list ${resource} (${e.status}): ${e.message}`;
}

/** A list item as an object of its own: apiVersion and kind back on it, server bookkeeping dropped. */
export function toObject(item: JsonObject, type: ResourceType, version: string): K8sObject {
  const apiVersion = type.group === '' ? version : `${type.group}/${version}`;
  const metadata = isJsonObject(item['metadata']) ? { ...item['metadata'] } : {};
  // Who set which spec field (the user, a default, the HPA) is kept as a digest; managedFields is
  // often half an object's size, and the last-applied copy repeats the whole spec.
  const fieldOwners = fieldOwnersOf(item);
  delete metadata['managedFields'];
  if (isJsonObject(metadata['annotations'])) {
    const annotations = { ...metadata['annotations'] };
    delete annotations[LAST_APPLIED];
    metadata['annotations'] = annotations;
  }
  const raw: JsonObject = { ...item, apiVersion, kind: type.kind, metadata };
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '<unnamed>';
  const namespace = type.namespaced && typeof metadata['namespace'] === 'string' ? metadata['namespace'] : '';
  return {
    apiVersion,
    kind: type.kind,
    name,
    namespace,
    id: objectId(type.kind, namespace, name),
    raw,
    ...(fieldOwners ? { fieldOwners } : {}),
  };
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
