import { isJsonObject, type JsonObject } from '../model/types.js';
import { delay } from './wait.js';
import { WatchExpired, type OpenWatch, type WatchEventType, type WatchSource } from './watch.js';

/** A collection to follow, and the kind of its items (list items carry no `kind`). */
export interface Feed {
  kind: string;
  path: string;
}

export type FeedListener = (kind: string, type: WatchEventType, object: JsonObject) => void;

/**
 * List, then watch from the list's resourceVersion, as Kubernetes informers do: every change reaches
 * `onEvent` once, in order, per collection. A watch the server ends is resumed from the last
 * resourceVersion seen; one too old to resume (410 Gone) is replaced by a new list, whose difference
 * from what was known is passed on as events, so nothing is missed or counted twice.
 */
export class Informer {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly source: WatchSource,
    private readonly feeds: readonly Feed[],
    private readonly onEvent: FeedListener,
    /** A watch that failed and is being opened again: measurements may miss events meanwhile. */
    private readonly onTrouble: (message: string) => void = () => undefined,
  ) {}

  /**
   * Lists every collection (passing each item on as ADDED) and opens every watch. Resolves when all
   * are open, so the state before anything is changed is known; rejects when a list or a watch is
   * refused (e.g. no `watch` right), and then nothing is left running.
   */
  async start(): Promise<void> {
    // One after the other, in the feeds' order: a pod's ReplicaSet is known before the pod is.
    const opened: Follow[] = [];
    try {
      for (const feed of this.feeds) opened.push(await this.open(feed));
    } catch (e) {
      this.abort.abort();
      throw e;
    }
    this.loops = opened.map((state, i) => this.follow(this.feeds[i]!, state));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async open(feed: Feed): Promise<Follow> {
    const state: Follow = { known: new Map(), resourceVersion: '', ended: Promise.resolve(undefined) };
    await this.relist(feed, state);
    state.ended = (await this.watch(feed, state)).ended;
    return state;
  }

  private async relist(feed: Feed, state: Follow): Promise<void> {
    const { items, resourceVersion } = await this.source.list(feed.path);
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const before = state.known.get(key);
      if (before !== undefined && versionOf(before) === versionOf(item)) continue;
      state.known.set(key, item);
      this.onEvent(feed.kind, before === undefined ? 'ADDED' : 'MODIFIED', item);
    }
    for (const [key, item] of state.known)
      if (!seen.has(key)) {
        state.known.delete(key);
        this.onEvent(feed.kind, 'DELETED', item);
      }
    state.resourceVersion = resourceVersion;
  }

  private watch(feed: Feed, state: Follow): Promise<OpenWatch> {
    return this.source.watch(
      feed.path,
      state.resourceVersion,
      (event, rv) => {
        if (rv !== undefined) state.resourceVersion = rv;
        if (!event) return;
        const key = keyOf(event.object);
        if (event.type === 'DELETED') state.known.delete(key);
        else state.known.set(key, event.object);
        this.onEvent(feed.kind, event.type, event.object);
      },
      this.abort.signal,
    );
  }

  /** Keeps a collection's watch open until stop(). */
  private async follow(feed: Feed, state: Follow): Promise<void> {
    let ended = state.ended;
    while (!this.abort.signal.aborted) {
      const why = await ended;
      if (this.abort.signal.aborted) return;
      try {
        if (why instanceof WatchExpired) await this.relist(feed, state);
        else if (why !== undefined)
          this.onTrouble(`the watch of ${feed.path} ended (${why.message}): opening it again`);
        ended = (await this.watch(feed, state)).ended;
      } catch (e) {
        this.onTrouble(`cannot watch ${feed.path} (${e instanceof Error ? e.message : String(e)}): retrying`);
        await delay(1000, this.abort.signal);
        ended = Promise.resolve(new WatchExpired('list again after a failed watch'));
      }
    }
  }
}

interface Follow {
  known: Map<string, JsonObject>;
  resourceVersion: string;
  ended: Promise<Error | undefined>;
}

function meta(o: JsonObject): JsonObject {
  const m = o['metadata'];
  return isJsonObject(m) ? m : {};
}

function keyOf(o: JsonObject): string {
  const m = meta(o);
  return typeof m['uid'] === 'string' ? m['uid'] : `${String(m['namespace'])}/${String(m['name'])}`;
}

function versionOf(o: JsonObject): unknown {
  return meta(o)['resourceVersion'];
}
