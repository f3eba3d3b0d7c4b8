// serve's drain on SIGTERM (RunningServer.close): what a client leaves open must not hold it for the
// whole --shutdown-grace. The API server's webhook client (Go's http.Transport) keeps connections
// alive between reviews, and under a burst dials connections that a freed one then makes useless:
// they stay open, TLS done, no request ever sent. Node counts such a connection as active (its
// headers timeout runs from the connection), so closeIdleConnections() leaves it, and close()
// stops the checks that would have cut it: the drain waited for --shutdown-grace (20 s).
import { Agent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { type ContextSource, noContext } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');
const certs = makeCerts();
const GRACE_MS = 5000;

async function start(context: ContextSource = noContext): Promise<RunningServer> {
  return startServer({
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    address: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    context,
    settings: { rules: STATIC, denyOn: 'none' },
    metrics: new ServeMetrics({ processMetrics: false }),
    log: () => undefined,
  });
}

/** A TLS connection to the webhook, handshake done, no request sent (what Go's transport may keep). */
function unusedConnection(url: string): Promise<TLSSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), ca: certs.ca }, () => resolve(socket));
    socket.on('error', reject);
  });
}

const review = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'u-1',
    operation: 'CREATE',
    namespace: 'shop',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } },
  },
});

/** Posts a review over `agent`'s connections; resolves with the status once the answer is read. */
function postReview(url: string, agent: Agent): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: hostname, port, path: '/validate', method: 'POST', ca: certs.ca, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(review);
  });
}

/** How long close(GRACE_MS) takes. */
async function drainMs(server: RunningServer): Promise<number> {
  const started = performance.now();
  await server.close(GRACE_MS);
  return performance.now() - started;
}

describe('serve drains at once when nothing is in flight', () => {
  it('closes a connection that finished its TLS handshake and never sent a request', async () => {
    const server = await start();
    const socket = await unusedConnection(server.admissionUrl);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    expect(await drainMs(server)).toBeLessThan(1000);
    await closed;
  });

  it('closes kept-alive connections after their reviews, and one never used beside them', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, ca: certs.ca });
    expect(await Promise.all([1, 2, 3].map(() => postReview(server.admissionUrl, agent)))).toEqual([
      200, 200, 200,
    ]);
    await unusedConnection(server.admissionUrl);
    expect(await drainMs(server)).toBeLessThan(1000);
    agent.destroy();
  });

  it('still lets a review in flight finish, and closes its connection after the answer', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await start({
      contextOf: async (ns) => {
        await held;
        return noContext.contextOf(ns);
      },
    });
    const agent = new Agent({ keepAlive: true, ca: certs.ca });
    const answered = postReview(server.admissionUrl, agent);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const draining = drainMs(server);
    setTimeout(release, 300);
    expect(await answered).toBe(200);
    const ms = await draining;
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1500);
    agent.destroy();
  });
});
