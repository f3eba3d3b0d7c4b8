import { isJsonObject, type JsonObject } from '../model/types.js';
import { ApiError, type ClusterClient, type OpenWatch } from '../sources/cluster-client.js';

export type { OpenWatch } from '../sources/cluster-client.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object, as the API server's watch sends it. */
export interface WatchEvent {
  type: WatchEventType;
  object: JsonObject;
}

/** The watch's resourceVersion is too old to resume from (HTTP 410 Gone): list again. */
export class WatchExpired extends Error {}

/**
 * The little of the Kubernetes watch API that chaos needs, behind an interface so that what it
 * measures is computed from events alone (and tested with recorded ones).
 */
export interface WatchSource {
  /** Lists a collection: its items and the resourceVersion to watch from. */
  list(path: string): Promise<{ items: JsonObject[]; resourceVersion: string }>;
  /**
   * Watches a collection from a resourceVersion. Resolves once the API server has accepted the watch
   * (rejects with ApiError when it refuses it, e.g. no `watch` right), then calls `onEvent` for each
   * change until the stream ends or `signal` aborts; `ended` is a WatchExpired when the
   * resourceVersion became too old. A bookmark (no change, a newer resourceVersion to resume from)
   * calls it with no event.
   */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent | undefined, resourceVersion: string | undefined) => void,
    signal: AbortSignal,
  ): Promise<OpenWatch>;
}

/** Chaos's view of a cluster's lists and watches, through the one cluster client (its auth and timeouts). */
export function watchSource(client: ClusterClient): WatchSource {
  return {
    async list(path) {
      const body = await client.get(path);
      const items = Array.isArray(body['items']) ? body['items'].filter(isJsonObject) : [];
      const meta = body['metadata'];
      const rv =
        isJsonObject(meta) && typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '';
      return { items, resourceVersion: rv };
    },
    async watch(path, resourceVersion, onEvent, signal) {
      const open = await client.watch(path, { resourceVersion, signal }, ({ type, object }) => {
        const meta = object['metadata'];
        const rv =
          isJsonObject(meta) && typeof meta['resourceVersion'] === 'string'
            ? meta['resourceVersion']
            : undefined;
        onEvent(type === 'BOOKMARK' ? undefined : { type, object }, rv);
      });
      return {
        ended: open.ended.then((why) =>
          why instanceof ApiError && why.status === 410 ? new WatchExpired(why.message) : why,
        ),
      };
    },
  };
}
