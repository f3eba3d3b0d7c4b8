import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import { isJsonObject, type JsonObject } from '../model/types.js';
import {
  ApiError,
  ClusterUnreachable,
  type ClusterClient,
  type ConnectOptions,
} from '../sources/cluster-client.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object, as the API server's watch sends it. */
export interface WatchEvent {
  type: WatchEventType;
  object: JsonObject;
}

/** The watch's resourceVersion is too old to resume from (HTTP 410 Gone): list again. */
export class WatchExpired extends Error {}

export interface OpenWatch {
  /** Resolves when the stream ends: undefined when the server closed it (its timeout), else why. */
  ended: Promise<Error | undefined>;
}

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
   * change until the stream ends or `signal` aborts. A bookmark (no change, a newer
   * resourceVersion to resume from) calls it with no event.
   */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent | undefined, resourceVersion: string | undefined) => void,
    signal: AbortSignal,
  ): Promise<OpenWatch>;
}

/** How long the API server keeps one watch open before we open the next (it may close it sooner). */
const WATCH_SECONDS = 300;
const CONNECT_TIMEOUT_MS = 60_000;

/**
 * A WatchSource over plain HTTPS, authenticated as the project's cluster client is (the kubeconfig
 * through @kubernetes/client-node's KubeConfig). Lists go through `client`; watches are long GETs
 * read line by line, one JSON event per line.
 */
export async function connectWatch(
  client: ClusterClient,
  options: ConnectOptions = {},
): Promise<WatchSource> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
    if (options.context !== undefined) kc.setCurrentContext(options.context);
  } catch (e) {
    throw new ClusterUnreachable(`cannot load the kubeconfig: ${firstLine(e)}`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterUnreachable('the kubeconfig names no cluster (is a context selected?)');
  const server = new URL(cluster.server);
  const request =
    server.protocol === 'http:' ? (await import('node:http')).request : (await import('node:https')).request;
  const base: RequestOptions = {
    protocol: server.protocol,
    hostname: server.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: server.port,
    headers: { Accept: 'application/json', 'User-Agent': 'kubeha' },
  };
  try {
    await kc.applyToHTTPSOptions(base);
  } catch (e) {
    throw new ClusterUnreachable(`cannot authenticate to ${cluster.server}: ${firstLine(e)}`);
  }
  const prefix = server.pathname.replace(/\/$/, '');

  return {
    async list(path) {
      const body = await client.get(path);
      const items = Array.isArray(body['items']) ? body['items'].filter(isJsonObject) : [];
      const meta = body['metadata'];
      const rv =
        isJsonObject(meta) && typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '';
      return { items, resourceVersion: rv };
    },
    watch(path, resourceVersion, onEvent, signal) {
      const query = new URLSearchParams({
        watch: '1',
        resourceVersion,
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(WATCH_SECONDS),
      });
      const sep = path.includes('?') ? '&' : '?';
      return new Promise<OpenWatch>((accept, refuse) => {
        let settle: (e: Error | undefined) => void = () => undefined;
        const ended = new Promise<Error | undefined>((r) => (settle = r));
        let done = false;
        const end = (e: Error | undefined): void => {
          if (done) return;
          done = true;
          signal.removeEventListener('abort', onAbort);
          settle(e);
        };
        const req = request(
          { ...base, method: 'GET', path: `${prefix}${path}${sep}${query}` },
          (res: IncomingMessage) => {
            // The answer came: from now on the stream may stay silent for as long as nothing changes.
            req.setTimeout(0);
            const status = res.statusCode ?? 0;
            if (status !== 200) {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                end(undefined);
                refuse(new ApiError(status, statusMessage(Buffer.concat(chunks).toString('utf8'), status)));
              });
              return;
            }
            accept({ ended });
            const lines = createInterface({ input: res, crlfDelay: Infinity });
            lines.on('line', (line) => {
              if (done || line.trim() === '') return;
              let parsed: unknown;
              try {
                parsed = JSON.parse(line);
              } catch {
                return;
              }
              if (!isJsonObject(parsed) || !isJsonObject(parsed['object'])) return;
              const type = parsed['type'];
              const object = parsed['object'];
              if (type === 'ERROR') {
                const code = object['code'];
                const message = typeof object['message'] === 'string' ? object['message'] : 'watch error';
                end(code === 410 ? new WatchExpired(message) : new ApiError(Number(code) || 500, message));
                req.destroy();
                return;
              }
              const meta = object['metadata'];
              const rv =
                isJsonObject(meta) && typeof meta['resourceVersion'] === 'string'
                  ? meta['resourceVersion']
                  : undefined;
              if (type === 'BOOKMARK') onEvent(undefined, rv);
              else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
                onEvent({ type, object }, rv);
            });
            lines.on('close', () => end(undefined));
            // A stream cut short (the connection reset, or our own abort) ends the watch, no more.
            lines.on('error', (e) => end(done ? undefined : e));
            res.on('error', (e) => end(done ? undefined : e));
          },
        );
        const onAbort = (): void => {
          end(undefined);
          req.destroy();
        };
        req.on('error', (e) => {
          if (done) return;
          end(e);
          refuse(new ClusterUnreachable(`cannot reach ${cluster.server}: ${firstLine(e)}`));
        });
        // An API server that does not answer at all is not waited for forever.
        req.setTimeout(CONNECT_TIMEOUT_MS, () =>
          req.destroy(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)),
        );
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
        req.end();
      });
    },
  };
}

function statusMessage(text: string, status: number): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed) && typeof parsed['message'] === 'string')
      return parsed['message'].split('\n')[0]!;
  } catch {
    // not a Status object
  }
  return text.split('\n')[0]!.slice(0, 300) || `HTTP ${status}`;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
