import type { K8sObject } from '../model/types.js';
import type { ClusterClient } from '../sources/cluster-client.js';
import { readCluster, type ResourceType } from '../sources/cluster-reader.js';

/** What admission reads besides the object under review: its namespace's objects, and which kinds could be read. */
export interface NamespaceContext {
  objects: K8sObject[];
  /** Kinds listed (a rule whose `needs` are not all here is skipped). */
  listed: ReadonlySet<string>;
  /** Why a kind could not be read, one line each. */
  warnings: string[];
  /** When the read started (ms since the epoch): the context holds nothing created later. */
  readAt: number;
}

export interface ContextSource {
  /**
   * The namespace's objects, from a cache. With `readAfter`, from a read that started at or after
   * that moment (one already in flight is shared): what the server asks for when a finding came from
   * the cached objects and must be confirmed.
   */
  contextOf(namespace: string, readAfter?: number): Promise<NamespaceContext>;
}

/**
 * The kinds admission joins an object with: everything namespaced that scan reads, but not the pods
 * (a controller's pods say nothing about its manifest, and are the most numerous) or the ReplicaSets
 * a Deployment keeps for rollbacks. Cluster-scoped kinds (nodes, add-on registrations) are left to
 * scan: reading them on every request would cost the API server too much.
 */
export function admissionKind(type: ResourceType): boolean {
  return type.namespaced && type.kind !== 'Pod' && type.kind !== 'ReplicaSet';
}

/**
 * Reads a namespace's context from the cluster, keeping it for `ttlMs`: a burst of requests (an apply
 * of a whole folder) reads once, and a request never waits on more than one read per namespace. A
 * caller that needs objects created after a moment (`readAfter`) gets a read that started then or
 * later, and that read replaces the cached one.
 *
 * Such reads are shared: while one is under way, the callers that arrived after it started wait for
 * it to end and then share the one read that starts next, which started after each of them arrived.
 * A burst of reviews whose findings rest on the namespace then costs the API server one namespace
 * read at a time (a read per review, eight at once, had kubeha and the API server serializing the
 * same 800 objects over and over: 12 reviews/s on the benchmark of docs/benchmarks.md).
 */
export function cachedContext(
  client: ClusterClient,
  ttlMs: number,
  now: () => number = Date.now,
): ContextSource {
  interface Read {
    at: number;
    value: Promise<NamespaceContext>;
    done: boolean;
    /** The read that starts when this one ends, for the callers that arrived while it was under way. */
    next?: Promise<NamespaceContext>;
  }
  const cache = new Map<string, Read>();
  const start = (namespace: string): Read => {
    const at = now();
    const value = readCluster(client, { namespace, only: admissionKind }).then(
      (r) => ({ objects: r.objects, listed: r.facts.listed, warnings: r.warnings, readAt: at }),
      (e: unknown) => {
        // Not kept: the next request tries again.
        if (cache.get(namespace)?.value === value) cache.delete(namespace);
        return {
          objects: [],
          listed: new Set<string>(),
          warnings: [e instanceof Error ? e.message : String(e)],
          readAt: at,
        };
      },
    );
    const read: Read = { at, value, done: false };
    void value.then(() => (read.done = true));
    cache.set(namespace, read);
    return read;
  };
  return {
    contextOf(namespace, readAfter) {
      const hit = cache.get(namespace);
      if (readAfter === undefined) return hit && now() - hit.at < ttlMs ? hit.value : start(namespace).value;
      if (hit && hit.at >= readAfter) return hit.value;
      if (!hit || hit.done) return start(namespace).value;
      // Started before the caller arrived and still under way: the read after it serves the caller.
      return (hit.next ??= hit.value.then(() => {
        const latest = cache.get(namespace);
        // A read started meanwhile (another caller's) started after this caller arrived too.
        return latest && latest.at > hit.at ? latest.value : start(namespace).value;
      }));
    },
  };
}

/** No cluster to read (serve --no-cluster-context): every object is judged alone. */
export const noContext: ContextSource = {
  contextOf: () =>
    Promise.resolve({
      objects: [],
      listed: new Set<string>(),
      warnings: [],
      readAt: Number.POSITIVE_INFINITY,
    }),
};
