import { isJsonObject, type JsonObject, type K8sObject } from '../model/types.js';
import { ApiError, type ClusterClient, type OpenWatch } from '../sources/cluster-client.js';
import {
  chooseVersion,
  collectionPath,
  discoverGroups,
  explainFailure,
  SCANNED,
  toObject,
  type ResourceType,
} from '../sources/cluster-reader.js';
import type { NamespaceContext } from './namespace-context.js';

/** The API server refused to watch a kind (no `watch` right): the namespace cannot be followed. */
export class WatchRefused extends Error {}

/** One kind of one namespace, as its list and watch left it. */
interface Kind {
  type: ResourceType;
  version: string;
  path: string;
  /** uid → the object and the resourceVersion it was read at. */
  objects: Map<string, { object: K8sObject; rv: string }>;
  /** The newest resourceVersion this kind is known at: of its list, its last event, or a bookmark. */
  rv: string;
  listed: boolean;
  warning?: string;
}

const ITEMS_PER_PAGE = 500;
/** A watch that broke (not one the server ended on time) is opened again after this long. */
const REWATCH_DELAY_MS = 1000;

/**
 * A namespace's objects of the kinds admission joins with, kept current as Kubernetes controllers
 * keep theirs: each kind listed once, then watched from the list's resourceVersion, every event
 * applied as it comes. A review reads the objects as they are now, without a request.
 *
 * A watch delivers a change some milliseconds after the API server wrote it, so what the view holds
 * when a review arrives may lack an HPA created just before (earlier in the same `kubectl apply -f
 * dir/`). `sync` brings the view to a moment after the review arrived: each kind is listed (a
 * consistent read, at least as new as every write that finished before the request), and the list
 * replaces what the view holds unless the watch has already brought the kind further. Objects the
 * list returns unchanged keep their identity, so a sync that finds nothing new leaves the view's
 * objects, and the joins indexed on them, as they were.
 *
 * resourceVersions are compared as numbers: the API server takes them from etcd's revision, which
 * grows with every write; one that is not a number is taken as newer than anything known.
 */
export class NamespaceView {
  private readonly kinds: Kind[] = [];
  private readonly warnings: string[] = [];
  private readonly abort = new AbortController();
  private snapshot: NamespaceContext | undefined;
  /** When the last sync (or the first list) started: the view holds every write made before it. */
  private syncedAt = 0;
  /** When start() began. */
  startedAt = 0;
  /** Every kind served was listed and is watched. */
  complete = false;

  constructor(
    private readonly client: ClusterClient,
    private readonly namespace: string,
    private readonly only: (type: ResourceType) => boolean,
    private readonly log: (line: string) => void,
    private readonly now: () => number,
  ) {}

  /**
   * Discovers which kinds are served, lists each and opens its watch. Rejects with WatchRefused when a
   * watch is refused (and then stops what it opened), with the error when the API cannot be reached.
   */
  async start(): Promise<void> {
    const at = (this.startedAt = this.now());
    const served = await discoverGroups(this.client, this.warnings);
    for (const type of SCANNED) {
      if (!this.only(type)) continue;
      const version = served ? chooseVersion(type, served) : type.versions[0];
      if (version === undefined) {
        if (!type.addon)
          this.warnings.push(`${type.plural}: the API ${type.group}/${type.versions[0]} is not served`);
        continue;
      }
      this.kinds.push({
        type,
        version,
        path: collectionPath(type, version, this.namespace),
        objects: new Map(),
        rv: '',
        listed: false,
      });
    }
    try {
      await Promise.all(this.kinds.map((k) => this.list(k)));
      const watches = await Promise.all(
        this.kinds.map(async (k) => (k.listed ? await this.watch(k) : undefined)),
      );
      this.kinds.forEach((k, i) => {
        const open = watches[i];
        if (open) void this.follow(k, open);
      });
    } catch (e) {
      this.stop();
      throw e;
    }
    this.syncedAt = at;
    this.complete = this.warnings.length === 0 && this.kinds.every((k) => k.listed);
  }

  /** The objects as the view holds them now. */
  current(): NamespaceContext {
    return (this.snapshot ??= {
      objects: this.kinds.flatMap((k) =>
        [...k.objects.values()]
          .map((o) => o.object)
          // The order a list returns them in (by name), whatever order the events came in.
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      ),
      listed: new Set(this.kinds.filter((k) => k.listed).map((k) => k.type.kind)),
      warnings: [...this.warnings, ...this.kinds.flatMap((k) => (k.warning ? [k.warning] : []))],
      readAt: this.syncedAt,
    });
  }

  /**
   * Lists every kind (or those of `kinds`) again, a consistent read started now, and returns the view,
   * which then holds every write of those kinds made before now (`readAt`).
   */
  async sync(kinds?: ReadonlySet<string>): Promise<NamespaceContext> {
    const at = this.now();
    await Promise.all(this.kinds.filter((k) => !kinds || kinds.has(k.type.kind)).map((k) => this.list(k)));
    if (kinds) return { ...this.current(), readAt: at };
    if (at > this.syncedAt) {
      this.syncedAt = at;
      if (this.snapshot) this.snapshot = { ...this.snapshot, readAt: at };
    }
    return this.current();
  }

  stop(): void {
    this.abort.abort();
  }

  /** Lists a kind, every page, and takes the list unless the watch already brought the kind further. */
  private async list(kind: Kind): Promise<void> {
    const items: JsonObject[] = [];
    let listRv = '';
    let token: string | undefined;
    try {
      do {
        const query = new URLSearchParams({ limit: String(ITEMS_PER_PAGE) });
        if (token) query.set('continue', token);
        const page = await this.client.get(`${kind.path}?${query.toString()}`);
        for (const item of Array.isArray(page['items']) ? page['items'] : [])
          if (isJsonObject(item)) items.push(item);
        const metadata = isJsonObject(page['metadata']) ? page['metadata'] : {};
        if (!token && typeof metadata['resourceVersion'] === 'string') listRv = metadata['resourceVersion'];
        token =
          typeof metadata['continue'] === 'string' && metadata['continue'] !== ''
            ? metadata['continue']
            : undefined;
      } while (token);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      kind.listed = false;
      kind.objects.clear();
      // An add-on's API that disappears between discovery and list (or a CRD without that version).
      kind.warning =
        e.status === 404 && kind.type.addon
          ? undefined
          : explainFailure(kind.type, kind.version, this.namespace, e);
      this.snapshot = undefined;
      return;
    }
    if (kind.listed && !newer(listRv, kind.rv)) return;
    const objects = new Map<string, { object: K8sObject; rv: string }>();
    for (const item of items) {
      const uid = uidOf(item);
      const rv = rvOf(item);
      const known = kind.objects.get(uid);
      objects.set(
        uid,
        known && known.rv === rv ? known : { object: toObject(item, kind.type, kind.version), rv },
      );
    }
    const changed =
      !kind.listed ||
      objects.size !== kind.objects.size ||
      [...objects].some(([uid, o]) => kind.objects.get(uid) !== o);
    kind.objects = objects;
    kind.rv = listRv;
    kind.listed = true;
    kind.warning = undefined;
    if (changed) this.snapshot = undefined;
  }

  private async watch(kind: Kind): Promise<OpenWatch> {
    try {
      return await this.client.watch(
        kind.path,
        { resourceVersion: kind.rv, signal: this.abort.signal },
        ({ type, object }) => {
          const rv = rvOf(object);
          // Already in the view: a list taken meanwhile was newer than this event.
          if (!newer(rv, kind.rv)) return;
          kind.rv = rv;
          if (type === 'BOOKMARK') return;
          const uid = uidOf(object);
          if (type === 'DELETED') kind.objects.delete(uid);
          else kind.objects.set(uid, { object: toObject(object, kind.type, kind.version), rv });
          this.snapshot = undefined;
        },
      );
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 405))
        throw new WatchRefused(`cannot watch ${kind.path} (${e.status}): ${e.message}`);
      throw e;
    }
  }

  /** Keeps a kind's watch open until stop(): opened again where it ended, after a new list when too old (410). */
  private async follow(kind: Kind, open: OpenWatch): Promise<void> {
    let ended = open.ended;
    while (!this.abort.signal.aborted) {
      const why = await ended;
      if (this.abort.signal.aborted) return;
      try {
        if (why instanceof ApiError && why.status === 410) await this.list(kind);
        else if (why !== undefined) {
          this.log(`the watch of ${kind.path} ended (${why.message}): opening it again`);
          await delay(REWATCH_DELAY_MS, this.abort.signal);
        }
        if (this.abort.signal.aborted) return;
        ended = (await this.watch(kind)).ended;
      } catch (e) {
        this.log(`cannot watch ${kind.path} (${e instanceof Error ? e.message : String(e)}): retrying`);
        await delay(REWATCH_DELAY_MS, this.abort.signal);
        // What changed meanwhile is not known: a new list says it.
        ended = Promise.resolve(new ApiError(410, 'list again after a failed watch'));
      }
    }
  }
}

/** True when `a` is a later resourceVersion than `b` (anything is later than none). */
function newer(a: string, b: string): boolean {
  if (b === '') return true;
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return a !== b;
  return a.length !== b.length ? a.length > b.length : a > b;
}

function metadataOf(o: JsonObject): JsonObject {
  return isJsonObject(o['metadata']) ? o['metadata'] : {};
}

function uidOf(o: JsonObject): string {
  const m = metadataOf(o);
  return typeof m['uid'] === 'string' ? m['uid'] : `${String(m['namespace'])}/${String(m['name'])}`;
}

function rvOf(o: JsonObject): string {
  const rv = metadataOf(o)['resourceVersion'];
  return typeof rv === 'string' ? rv : '';
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
