import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { rulesWithNeedsRead } from '../engine/live.js';
import {
  admit,
  parseReview,
  reviewResponse,
  type Admission,
  type AdmissionResponse,
  type AdmitSettings,
} from './admission.js';
import type { ContextSource } from './context.js';
import { DEFAULT_LIMITS, readBody, refuse, timeoutOptions, type ServeLimits } from './http-limits.js';
import { reviewLabels, type ServeMetrics } from './metrics.js';

export interface ServeOptions {
  tls: { cert: string | Buffer; key: string | Buffer };
  address: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Plain HTTP for /metrics (Prometheus scrapes it without the webhook's certificate); undefined: none. */
  metricsPort?: number;
  context: ContextSource;
  settings: AdmitSettings;
  metrics: ServeMetrics;
  log: (line: string) => void;
  /** What a client may send (DEFAULT_LIMITS for what is not given): docs/serve.md, "Limits". */
  limits?: Partial<ServeLimits>;
}

export interface RunningServer {
  admissionUrl: string;
  metricsUrl: string | undefined;
  /** Swaps the certificate (cert-manager renews it) without dropping connections. */
  setTls(tls: { cert: string | Buffer; key: string | Buffer }): void;
  /** Stops taking connections, lets requests in flight finish for up to `graceMs`, then closes the rest and the context's watches. */
  close(graceMs: number): Promise<void>;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Starts the admission webhook (HTTPS) and, when asked, the metrics endpoint (HTTP). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let inFlight = 0;
  const webhook = createHttpsServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ...timeoutOptions(limits),
      // A TLS handshake that never ends is given the headers' time.
      handshakeTimeout: limits.headersTimeoutMs,
    },
    (req, res) => {
      route(req, res).catch((e: unknown) => {
        options.log(`kubeha serve: ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500, JSON_TYPE);
        res.end(JSON.stringify({ message: 'internal error' }));
      });
    },
  );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/readyz') return void res.writeHead(200).end('ok');
    if (path !== '/validate') return void res.writeHead(404, JSON_TYPE).end('{"message":"not found"}');
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
    // Turned away before its body is read: a review waiting here would hold up to maxBodyBytes. The
    // API server calls again after Retry-After until the webhook's timeoutSeconds, then applies its
    // failurePolicy (test/e2e/serve-limits.test.ts): the queue is the API server's, and costs nothing here.
    if (inFlight >= limits.maxInFlight) {
      options.metrics.refused.inc({ reason: 'too-many-in-flight' });
      return refuse(req, res, 429, `kubeha is judging ${limits.maxInFlight} reviews already`, {
        'Retry-After': '1',
      });
    }
    inFlight++;
    res.once('close', () => inFlight--);
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === 'too-large') {
      options.metrics.refused.inc({ reason: 'body-too-large' });
      return refuse(req, res, 413, `the body is larger than ${limits.maxBodyBytes} bytes`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return void res.writeHead(400, JSON_TYPE).end('{"message":"the body is not JSON"}');
    }
    const request = parseReview(parsed);
    if (typeof request === 'string')
      return void res.writeHead(400, JSON_TYPE).end(JSON.stringify({ message: request }));
    const started = process.hrtime.bigint();
    const kind = typeof request.object?.['kind'] === 'string' ? request.object['kind'] : '';
    let answer: AdmissionResponse;
    let result: 'allowed' | 'warned' | 'denied' | 'error';
    try {
      const arrived = Date.now();
      const judge = async (
        readAfter?: number,
        kinds?: ReadonlySet<string>,
      ): Promise<{ admission: Admission; readAt: number }> => {
        const context = request.namespace
          ? await options.context.contextOf(request.namespace, readAfter, kinds)
          : { objects: [], listed: new Set<string>(), warnings: [], readAt: Number.POSITIVE_INFINITY };
        for (const w of context.warnings) options.log(`kubeha serve: context of ${request.namespace}: ${w}`);
        // A rule that reads meaning into an absence runs only when its kinds could be read.
        const rules = rulesWithNeedsRead(options.settings.rules, (kind) => !context.listed.has(kind));
        return {
          admission: admit(request, context.objects, { ...options.settings, rules }),
          readAt: context.readAt,
        };
      };
      const cached = await judge();
      // The cache must never make a correct object look wrong: a finding that rests on the
      // namespace's objects is confirmed on a read made after the request arrived, of the kinds that
      // can change it.
      const { admission } =
        cached.admission.fromContext && cached.readAt < arrived
          ? await judge(arrived, cached.admission.joinedKinds)
          : cached;
      for (const f of admission.findings)
        options.metrics.admissionFindings.inc({ rule: f.rule, severity: f.severity });
      result = admission.denied.length ? 'denied' : admission.findings.length ? 'warned' : 'allowed';
      if (admission.denied.length)
        options.log(
          `kubeha serve: denied ${request.operation} ${kind} ${request.namespace}/${nameOf(request.object)}: ${admission.denied.map((f) => f.rule).join(', ')}`,
        );
      answer = admission.response;
    } catch (e) {
      // Fail open, and say so: a checker must never be the reason a deploy cannot happen.
      result = 'error';
      options.log(
        `kubeha serve: could not check ${kind} ${request.namespace}/${nameOf(request.object)}: ${e instanceof Error ? e.message : String(e)}`,
      );
      answer = {
        uid: request.uid,
        allowed: true,
        warnings: ['kubeha could not check this object; see the kubeha serve log'],
      };
    }
    options.metrics.reviews.inc({ ...reviewLabels(request.operation, kind), result });
    options.metrics.admissionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    res.writeHead(200, JSON_TYPE).end(JSON.stringify(reviewResponse(answer)));
  }

  const unused = new Map<Server, Set<Socket>>([[webhook, trackUnused(webhook, 'secureConnection')]]);
  await listen(webhook, options.port, options.address);
  let metricsServer: Server | undefined;
  if (options.metricsPort !== undefined) {
    metricsServer = createHttpServer(timeoutOptions(limits), (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') return void res.writeHead(200).end('ok');
      if (path !== '/metrics') return void res.writeHead(404).end();
      options.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': options.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    unused.set(metricsServer, trackUnused(metricsServer, 'connection'));
    await listen(metricsServer, options.metricsPort, options.address);
  }
  const url = (server: Server, scheme: string, path: string): string => {
    const a = server.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `${scheme}://${host}:${a.port}${path}`;
  };
  return {
    admissionUrl: url(webhook, 'https', '/validate'),
    metricsUrl: metricsServer ? url(metricsServer, 'http', '/metrics') : undefined,
    setTls: (tls) => webhook.setSecureContext({ cert: tls.cert, key: tls.key }),
    close: async (graceMs) => {
      await Promise.all([...unused].map(([server, sockets]) => drain(server, sockets, graceMs)));
      // The namespaces' watches would hold the process open.
      options.context.close?.();
    },
  };
}

function nameOf(object: Record<string, unknown> | undefined): string {
  const metadata = object?.['metadata'];
  if (metadata && typeof metadata === 'object' && 'name' in metadata) return String(metadata.name);
  return '<unnamed>';
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Remembers which connections have carried a request. A connection that finished its TLS handshake
 * (or TCP connect, for /metrics) and never sent one is not idle to Node: it counts as active, so that
 * its headers timeout runs from the connection, and closeIdleConnections() leaves it; close() stops
 * the timeout checks, and such a connection held the drain for the whole grace period. The API
 * server's webhook client keeps connections open between reviews and, under a burst, dials
 * connections that a freed one makes useless: they stay open with no request ever sent.
 */
function trackUnused(server: Server, event: 'connection' | 'secureConnection'): Set<Socket> {
  const unused = new Set<Socket>();
  server.on(event, (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (req: IncomingMessage) => unused.delete(req.socket));
  return unused;
}

function drain(server: Server, unused: Set<Socket>, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    // Keep-alive connections with no request in flight would hold close() open, and the API server
    // keeps sending reviews on those it holds: close each as soon as its request is answered, and
    // those that never carried a request at once.
    const sweep = (): void => {
      server.closeIdleConnections();
      for (const socket of unused) socket.destroy();
    };
    const sweeping = setInterval(sweep, 100);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweeping);
      resolve();
    });
    sweep();
  });
}
