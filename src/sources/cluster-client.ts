import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { isJsonObject, type JsonObject } from '../model/types.js';

/**
 * The little of the Kubernetes API that kubeha reads: GET a path, get JSON. Everything that talks to
 * a cluster goes through this interface (Pepr's shape), so the reader above it holds no transport.
 */
export interface ClusterClient {
  /** The kubeconfig context in use, or "in-cluster". */
  readonly context: string;
  readonly server: string;
  /** The namespace the context names (kubectl's default), else "default". */
  readonly namespace: string;
  /** GETs an API path with its query. Rejects with ApiError on an HTTP error, ClusterUnreachable when no answer. */
  get(path: string): Promise<JsonObject>;
}

/**
 * What `kubeha chaos` adds: requests that change the cluster (cordon, evict, delete). Kept apart from
 * ClusterClient so that everything that only reads takes the read-only interface.
 */
export interface ClusterWriter extends ClusterClient {
  /** Sends a request with a JSON body; resolves with the answer's JSON (empty object when none). */
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
  /** Per request, in ms. */
  timeoutMs?: number;
}

/** The API server answered with an error status (403 Forbidden, 404 Not Found, …). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** No kubeconfig, an unknown context, or no answer from the API server: the scan cannot start. */
export class ClusterUnreachable extends Error {}

/**
 * Connects with @kubernetes/client-node's KubeConfig, which knows every way kubeconfigs authenticate
 * (client certificates, tokens, exec plugins such as `aws eks get-token`, OIDC) and the in-cluster
 * service account. Requests then go out as plain HTTPS GETs and come back as raw JSON: the typed
 * clients would drop fields their models do not know (newer API fields, CRDs) and turn timestamps
 * into Dates. The client library is loaded here, lazily, so `check` never pays for it.
 */
export async function connect(options: ConnectOptions = {}): Promise<ClusterWriter> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
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
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Loaded here, not at the top: the whole CLI is one bundle and `check` should not load TLS.
  const request =
    server.protocol === 'http:' ? (await import('node:http')).request : (await import('node:https')).request;

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
        timeout: timeoutMs,
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

  return {
    context: contextName === 'inClusterContext' ? 'in-cluster' : contextName,
    server: cluster.server,
    namespace: context?.namespace ?? 'default',
    get: (path: string) => call('GET', path),
    send: (method, path, body, contentType) => call(method, path, body, contentType),
  };

  async function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<JsonObject> {
    const base = await authenticated();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const opts: RequestOptions = {
      ...base,
      method,
      path: `${server.pathname.replace(/\/$/, '')}${path}`,
      headers: {
        ...base.headers,
        ...(payload !== undefined
          ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
          : {}),
      },
    };
    return new Promise((resolve, reject) => {
      const req = request(opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new ClusterUnreachable(`${cluster!.server}: ${firstLine(e)}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = undefined;
          }
          if (status >= 200 && status < 300 && isJsonObject(parsed)) resolve(parsed);
          else if (status >= 200 && status < 300)
            reject(new ApiError(status, `${method} ${path}: the answer is not a JSON object`));
          else {
            // A Status object says why ("deployments.apps is forbidden: User … cannot list …").
            const message =
              isJsonObject(parsed) && typeof parsed['message'] === 'string' ? parsed['message'] : text;
            reject(new ApiError(status, message.split('\n')[0]!.slice(0, 300) || `HTTP ${status}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      req.on('error', (e) =>
        reject(new ClusterUnreachable(`cannot reach ${cluster!.server}: ${firstLine(e)}`)),
      );
      req.end(payload);
    });
  }
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
