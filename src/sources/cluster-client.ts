import type { Agent, AgentOptions, IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import { isJsonObject, type JsonObject } from '../model/types.js';
import {
  firstLine,
  NoAnswer,
  requestStream,
  requestWhole,
  type Answer,
  type RequestFn,
} from './api-request.js';
import { ApiError, ClusterUnreachable } from './cluster-errors.js';
import { loadKubeconfig, type Env } from './kubeconfig.js';

export { ApiError, ClusterUnreachable } from './cluster-errors.js';
export { NoAnswer } from './api-request.js';
export { KubeconfigMissing } from './kubeconfig.js';

/** One change the API server's watch sends; a bookmark only says how far the watch has come. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: JsonObject;
}

export interface OpenWatch {
  /**
   * Resolves when the stream ends: undefined when the server closed it (its timeout) or the caller
   * aborted it; an ApiError when the server ended it with an ERROR event (410: the resourceVersion is
   * too old to resume from); another Error when the connection broke.
   */
  ended: Promise<Error | undefined>;
}

/**
 * The little of the Kubernetes API that kubeha reads: GET a path, get JSON; watch a collection.
 * Everything that talks to a cluster goes through this interface (Pepr's shape), so the reader and
 * chaos above it hold no transport.
 */
export interface ClusterClient {
  /** The kubeconfig context in use, or "in-cluster". */
  readonly context: string;
  readonly server: string;
  /** The namespace the context names (kubectl's default), else "default". */
  readonly namespace: string;
  /**
   * GETs an API path with its query. Rejects with ApiError on an HTTP error, ClusterUnreachable when
   * no answer (NoAnswer when none came in time). Retried on a failed connection, 429 and 5xx.
   */
  get(path: string): Promise<JsonObject>;
  /**
   * Watches a collection from a resourceVersion (with bookmarks). Resolves once the API server has
   * accepted the watch, within the request timeout (rejects with ApiError when it refuses it, e.g.
   * no `watch` right); then calls `onEvent` for each event until the stream ends or `signal` aborts.
   */
  watch(
    path: string,
    from: { resourceVersion: string; signal: AbortSignal },
    onEvent: (event: WatchEvent) => void,
  ): Promise<OpenWatch>;
}

/**
 * What `kubeha chaos` adds: requests that change the cluster (cordon, evict, delete). Kept apart from
 * ClusterClient so that everything that only reads takes the read-only interface.
 */
export interface ClusterWriter extends ClusterClient {
  /** Sends a request with a JSON body; resolves with the answer's JSON (empty object when none). Never retried. */
  send(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<JsonObject>;
}

export interface ConnectOptions {
  /** A kubeconfig file; else $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
  /**
   * How long to wait for the API server to say anything (connect, TLS, the answer's start, a silence
   * while it streams), in ms; 0 waits forever. Default DEFAULT_REQUEST_TIMEOUT_MS.
   */
  timeoutMs?: number;
  /** Where $KUBECONFIG and $HOME are read (the CLI's environment); default process.env. */
  env?: Env;
}

/** Long enough for any healthy API server to start answering, short enough that a dead one is said within 15 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** A whole answer is allowed this long, or the request timeout when that is longer (the API server's own limit for a request is 60 s). */
const WHOLE_ANSWER_MS = 60_000;
/** Reads are tried this many times in all when the connection fails or the server says 429 or 5xx. */
export const READ_ATTEMPTS = 4;
/** Wait before the first retry; doubled for each next one. */
const FIRST_BACKOFF_MS = 250;
/** The longest a Retry-After is honoured: an interactive command does not sleep for minutes. */
const MAX_BACKOFF_MS = 5_000;
/** How long the API server keeps one watch open before it ends it (the caller opens the next). */
const WATCH_SECONDS = 300;

/**
 * Connects with @kubernetes/client-node's KubeConfig, which knows every way kubeconfigs authenticate
 * (client certificates, tokens, exec plugins such as `aws eks get-token`, OIDC) and the in-cluster
 * service account. Requests then go out as plain HTTPS GETs and come back as raw JSON: the typed
 * clients would drop fields their models do not know (newer API fields, CRDs) and turn timestamps
 * into Dates. The client library is loaded here, lazily, so `check` never pays for it.
 */
export async function connect(options: ConnectOptions = {}): Promise<ClusterWriter> {
  let kc: Awaited<ReturnType<typeof loadKubeconfig>>;
  try {
    kc = await loadKubeconfig(options.kubeconfig, options.env ?? process.env);
  } catch (e) {
    if (e instanceof ClusterUnreachable) throw e;
    throw new ClusterUnreachable(`cannot load the kubeconfig: ${firstLine(e)}`);
  }
  if (options.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === options.context))
      throw new ClusterUnreachable(`no context "${options.context}" in the kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterUnreachable('the kubeconfig names no cluster (is a context selected?)');
  const contextName = kc.getCurrentContext();
  const context = kc.getContextObject(contextName);
  const server = new URL(cluster.server);
  const answerMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const limits = { answerMs, totalMs: answerMs === 0 ? 0 : Math.max(answerMs, WHOLE_ANSWER_MS) };
  // Loaded here, not at the top: the whole CLI is one bundle and `check` should not load TLS.
  const transport = server.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const request: RequestFn = transport.request;
  const prefix = server.pathname.replace(/\/$/, '');

  // Authentication once per client: one agent (TLS context, proxies) and one exec-plugin run serve
  // every request of a scan, instead of a new TLS context and token per page.
  let auth: Promise<RequestOptions> | undefined;
  const authenticated = (): Promise<RequestOptions> =>
    (auth ??= (async () => {
      const base: RequestOptions = {
        protocol: server.protocol,
        hostname: server.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: server.port,
        headers: { Accept: 'application/json', 'User-Agent': 'kubeha' },
      };
      try {
        // Fills in the agent (TLS material, proxies) and the Authorization header; runs exec plugins.
        await kc.applyToHTTPSOptions(base);
      } catch (e) {
        auth = undefined;
        throw new ClusterUnreachable(`cannot authenticate to ${cluster.server}: ${firstLine(e)}`);
      }
      return base;
    })());
  // Reads and watches keep their connections open between requests: a new TLS connection per request
  // was 29 % of serve's CPU while it read namespaces. Writes (chaos) keep a connection each, so a
  // connection the API server closed while idle can never cost a request that must not be sent twice.
  let reading: Promise<RequestOptions> | undefined;
  const forReads = (): Promise<RequestOptions> =>
    (reading ??= authenticated().then(
      (base) => ({ ...base, agent: keptAlive(base.agent, transport.Agent) }),
      (e: unknown) => {
        reading = undefined;
        throw e;
      },
    ));

  return {
    context: contextName === 'inClusterContext' ? 'in-cluster' : contextName,
    server: cluster.server,
    namespace: context?.namespace ?? 'default',
    get: (path: string) => withRetries(() => call('GET', path, undefined, undefined, forReads)),
    send: (method, path, body, contentType) => call(method, path, body, contentType),
    watch: (path, from, onEvent) => watch(path, from, onEvent),
  };

  async function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    options: () => Promise<RequestOptions> = authenticated,
  ): Promise<JsonObject> {
    const base = await options();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const opts: RequestOptions = {
      ...base,
      method,
      path: `${prefix}${path}`,
      headers: {
        ...base.headers,
        ...(payload !== undefined
          ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
          : {}),
      },
    };
    return parseAnswer(method, path, await requestWhole(request, opts, payload, cluster!.server, limits));
  }

  async function watch(
    path: string,
    from: { resourceVersion: string; signal: AbortSignal },
    onEvent: (event: WatchEvent) => void,
  ): Promise<OpenWatch> {
    const base = await forReads();
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion: from.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(WATCH_SECONDS),
    });
    const { req, response } = requestStream(
      request,
      { ...base, method: 'GET', path: `${prefix}${path}${path.includes('?') ? '&' : '?'}${query}` },
      cluster!.server,
      answerMs,
    );
    const onAbort = (): void => void req.destroy();
    if (from.signal.aborted) onAbort();
    else from.signal.addEventListener('abort', onAbort, { once: true });
    let res: IncomingMessage;
    try {
      res = await response;
    } catch (e) {
      from.signal.removeEventListener('abort', onAbort);
      throw e;
    }
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const text = await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      from.signal.removeEventListener('abort', onAbort);
      req.destroy();
      throw new ApiError(status, statusMessage(text, status));
    }
    return { ended: followStream(res, () => req.destroy(), from.signal, onAbort, onEvent) };
  }
}

/**
 * The agent the client library built (its TLS material, with the cluster's CA and the user's client
 * certificate), as one that keeps connections alive; a proxy's agent is left as it is. Node's agent
 * unreferences a connection while it is idle, so an idle one never holds the process open, and the
 * reads' retries cover a connection the server closed while it was idle.
 */
function keptAlive(
  agent: RequestOptions['agent'],
  Plain: new (options: AgentOptions) => Agent,
): RequestOptions['agent'] {
  if (!agent || agent.constructor !== Plain) return agent;
  return new Plain({ ...(agent as Agent & { options: AgentOptions }).options, keepAlive: true });
}

/** Reads a watch's stream, one JSON event per line, until it ends; says why it ended. */
function followStream(
  res: IncomingMessage,
  destroy: () => void,
  signal: AbortSignal,
  onAbort: () => void,
  onEvent: (event: WatchEvent) => void,
): Promise<Error | undefined> {
  return new Promise((settle) => {
    let done = false;
    const end = (e: Error | undefined): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      // Our own abort is an end, not a failure.
      settle(signal.aborted ? undefined : e);
    };
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
        end(new ApiError(Number(code) || 500, message));
        destroy();
        return;
      }
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK')
        onEvent({ type, object });
    });
    lines.on('close', () => end(undefined));
    // A stream cut short (the connection reset, or our own abort) ends the watch, no more.
    lines.on('error', (e) => end(e));
    res.on('error', (e) => end(e));
    res.on('close', () => end(undefined));
  });
}

/**
 * Tries an idempotent read again when the connection failed or the API server said 429 (too many
 * requests, or a priority level's queue is full) or 5xx, waiting a little longer each time (or what
 * Retry-After asks, capped). A request that got no answer in time is not tried again.
 */
async function withRetries(read: () => Promise<JsonObject>): Promise<JsonObject> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      const transient =
        (e instanceof ApiError && (e.status === 429 || (e.status >= 500 && e.status !== 501))) ||
        (e instanceof ClusterUnreachable && !(e instanceof NoAnswer));
      if (!transient) throw e;
      if (attempt >= READ_ATTEMPTS) throw afterAttempts(e, attempt);
      const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
      const asked = e instanceof ApiErrorWithRetry ? e.retryAfterMs : undefined;
      await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, Math.max(backoff, asked ?? 0))));
    }
  }
}

/** The error of the last attempt, saying how many were made. */
function afterAttempts(e: ApiError | ClusterUnreachable, attempts: number): Error {
  const message = `${e.message} (tried ${attempts} times)`;
  return e instanceof ApiError ? new ApiError(e.status, message) : new ClusterUnreachable(message);
}

/** An error status that came with a Retry-After. */
class ApiErrorWithRetry extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(status, message);
  }
}

function parseAnswer(method: string, path: string, answer: Answer): JsonObject {
  const { status, text } = answer;
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (status >= 200 && status < 300 && isJsonObject(parsed)) return parsed;
  if (status >= 200 && status < 300)
    throw new ApiError(status, `${method} ${path}: the answer is not a JSON object`);
  // A Status object says why ("deployments.apps is forbidden: User … cannot list …").
  const message = isJsonObject(parsed) && typeof parsed['message'] === 'string' ? parsed['message'] : text;
  const line = message.split('\n')[0]!.slice(0, 300) || `HTTP ${status}`;
  throw answer.retryAfterMs !== undefined
    ? new ApiErrorWithRetry(status, line, answer.retryAfterMs)
    : new ApiError(status, line);
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
