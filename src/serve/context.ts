import type { ClusterClient } from '../sources/cluster-client.js';
import { readCluster, type ResourceType } from '../sources/cluster-reader.js';
import type { NamespaceContext } from './namespace-context.js';
import { NamespaceView, WatchRefused } from './namespace-view.js';

// What admission reads besides the object under review: its namespace's objects, and which kinds
// could be read. Its own module, so that the view and the sources of contexts need not import each other.
export type { NamespaceContext } from './namespace-context.js';

export interface ContextSource {
  /**
   * The namespace's objects, from a cache. With `readAfter`, from a read that started at or after
   * that moment (one already in flight is shared): what the server asks for when a finding came from
   * the cached objects and must be confirmed.
   */
  contextOf(namespace: string, readAfter?: number, kinds?: ReadonlySet<string>): Promise<NamespaceContext>;
  /** Stops what it keeps open (watches). */
  close?(): void;
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

export interface ContextOptions {
  now?: () => number;
  /** Where trouble with a watch is told (serve's log). */
  log?: (line: string) => void;
}

/**
 * serve's view of each namespace it reviews objects in. With `ttlMs` > 0 (the default 10 s), the
 * namespace is listed once and then watched (NamespaceView): a review is judged on the objects as
 * they are now, with no request, and a finding that rests on them is confirmed after a sync that
 * started after the review arrived. When the API server refuses a watch (a role with get and list
 * but no watch), every namespace is read as before: kept `ttlMs`, and read again to confirm
 * (timedContext). With `ttlMs` 0, every review reads its namespace (timedContext).
 */
export function cachedContext(
  client: ClusterClient,
  ttlMs: number,
  options: ContextOptions = {},
): ContextSource {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  if (ttlMs === 0) return timedContext(client, ttlMs, now);
  let fallback: ContextSource | undefined;
  const views = new Map<string, Promise<NamespaceView | NamespaceContext>>();
  // Keyed by namespace and the kinds to list again ('' for all).
  const syncs = sharedReads(async (key) => {
    const [namespace, scope] = key.split('\u0000') as [string, string];
    const view = await views.get(namespace);
    if (view instanceof NamespaceView) return view.sync(scope === '' ? undefined : new Set(scope.split(',')));
    throw new Error(view?.warnings.join('; ') ?? `no view of ${namespace}`);
  }, now);
  const viewOf = (namespace: string): Promise<NamespaceView | NamespaceContext> => {
    let view = views.get(namespace);
    if (!view) {
      const started = new NamespaceView(
        client,
        namespace,
        admissionKind,
        (line) => log(`kubeha serve: context of ${namespace}: ${line}`),
        now,
      );
      view = started.start().then(
        () => started,
        (e: unknown) => {
          views.delete(namespace);
          if (e instanceof WatchRefused && !fallback) {
            log(
              `kubeha serve: ${e.message}; reading each namespace when needed instead (grant "watch" to follow them)`,
            );
            fallback = timedContext(client, ttlMs, now);
          }
          // Not kept: the next request tries again.
          return failedRead(e, now());
        },
      );
      views.set(namespace, view);
    }
    return view;
  };
  return {
    async contextOf(namespace, readAfter, kinds) {
      if (fallback) return fallback.contextOf(namespace, readAfter);
      const view = await viewOf(namespace);
      // A watch refused while this namespace was started: read it as every other one now is.
      const instead = fallback as ContextSource | undefined;
      if (!(view instanceof NamespaceView)) return instead ? instead.contextOf(namespace, readAfter) : view;
      // A kind that could not be listed (no right yet, an API not served) is not followed: such a view
      // is started again after `ttlMs`, as the timed reads were.
      if (!view.complete && now() - view.startedAt >= ttlMs) {
        view.stop();
        views.delete(namespace);
        return this.contextOf(namespace, readAfter, kinds);
      }
      const current = view.current();
      if (readAfter === undefined || current.readAt >= readAfter) return current;
      return syncs(`${namespace}\u0000${kinds ? [...kinds].sort().join(',') : ''}`, readAfter);
    },
    close() {
      for (const view of views.values()) void view.then((v) => v instanceof NamespaceView && v.stop());
      views.clear();
    },
  };
}

/**
 * Reads a namespace's context from the cluster, keeping it for `ttlMs`: a burst of requests (an apply
 * of a whole folder) reads once, and a request never waits on more than one read per namespace. A
 * caller that needs objects created after a moment (`readAfter`) gets a read that started then or
 * later, and that read replaces the cached one.
 */
export function timedContext(
  client: ClusterClient,
  ttlMs: number,
  now: () => number = Date.now,
): ContextSource {
  const read = (namespace: string, at: number): Promise<NamespaceContext> =>
    readCluster(client, { namespace, only: admissionKind }).then((r) => ({
      objects: r.objects,
      listed: r.facts.listed,
      warnings: r.warnings,
      readAt: at,
    }));
  const reads = sharedReads(read, now);
  return {
    contextOf(namespace, readAfter) {
      if (readAfter !== undefined) return reads(namespace, readAfter);
      const hit = reads.latest(namespace);
      return hit && now() - hit.at < ttlMs ? hit.value : reads(namespace, now());
    },
  };
}

/** What a namespace whose read failed is judged with: nothing, and why. */
function failedRead(e: unknown, at: number): NamespaceContext {
  return {
    objects: [],
    listed: new Set<string>(),
    warnings: [e instanceof Error ? e.message : String(e)],
    readAt: at,
  };
}

interface SharedReads {
  /** A read of the namespace that started at or after `readAfter`. */
  (namespace: string, readAfter: number): Promise<NamespaceContext>;
  /** The last read started, if it did not fail. */
  latest(namespace: string): { at: number; value: Promise<NamespaceContext> } | undefined;
}

/**
 * Reads shared between the reviews of a namespace. A caller that needs a read started after it
 * arrived gets the read under way if that one started after it, else the read that starts when the
 * one under way ends: while one is under way, the callers that arrived after it started wait for it
 * to end and then share the one read that starts next, which started after each of them arrived. A
 * burst of reviews whose findings rest on the namespace then costs the API server one namespace read
 * at a time (a read per review, eight at once, had kubeha and the API server serializing the same 800
 * objects over and over: 12 reviews/s on the benchmark of docs/benchmarks.md).
 */
function sharedReads(
  read: (namespace: string, at: number) => Promise<NamespaceContext>,
  now: () => number,
): SharedReads {
  interface Read {
    at: number;
    value: Promise<NamespaceContext>;
    done: boolean;
    /** The read that starts when this one ends, for the callers that arrived while it was under way. */
    next?: Promise<NamespaceContext>;
  }
  const reads = new Map<string, Read>();
  const start = (namespace: string): Read => {
    const at = now();
    const value: Promise<NamespaceContext> = read(namespace, at).catch((e: unknown) => {
      // Not kept: the next request tries again.
      if (reads.get(namespace)?.value === value) reads.delete(namespace);
      return failedRead(e, at);
    });
    const entry: Read = { at, value, done: false };
    void value.then(() => (entry.done = true));
    reads.set(namespace, entry);
    return entry;
  };
  const after = (namespace: string, readAfter: number): Promise<NamespaceContext> => {
    const hit = reads.get(namespace);
    if (hit && hit.at >= readAfter) return hit.value;
    if (!hit || hit.done) return start(namespace).value;
    // Started before the caller arrived and still under way: the read after it serves the caller.
    return (hit.next ??= hit.value.then(() => {
      const latest = reads.get(namespace);
      // A read started meanwhile (another caller's) started after this caller arrived too.
      return latest && latest.at > hit.at ? latest.value : start(namespace).value;
    }));
  };
  return Object.assign(after, { latest: (namespace: string) => reads.get(namespace) });
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
