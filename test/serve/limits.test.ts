// What serve takes from a client that is not the API server (docs/serve.md, "Limits"): labels from a
// fixed set whatever the review says, bodies refused past their limit before they are read, reviews
// past the concurrency limit turned away at once, and connections that send too slowly cut.
import { Agent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { noContext, type ContextSource } from '../../src/serve/context.js';
import type { ServeLimits } from '../../src/serve/http-limits.js';
import { REVIEW_KINDS, REVIEW_OPERATIONS, ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');
const certs = makeCerts();
const ca = certs.ca;

function start(
  limits: Partial<ServeLimits>,
  context: ContextSource = noContext,
): Promise<{ server: RunningServer; metrics: ServeMetrics }> {
  const metrics = new ServeMetrics({ processMetrics: false });
  return startServer({
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    address: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    context,
    settings: { rules: STATIC, denyOn: 'warning' },
    metrics,
    log: () => undefined,
    limits,
  }).then((server) => ({ server, metrics }));
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(server: RunningServer, body: string, agent?: Agent): Promise<Answer> {
  const url = new URL(server.admissionUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        ca,
        ...(agent ? { agent } : {}),
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const review = (request: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: 'nginx:1.27' }] },
    },
  },
});

/** The series of /metrics: every line that is not a comment. */
async function series(server: RunningServer): Promise<string[]> {
  const text = await fetch(server.metricsUrl!).then((r) => r.text());
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('metric labels come from a fixed set', () => {
  let server: RunningServer;
  beforeAll(async () => ({ server } = await start({})));
  afterAll(() => server.close(1000));

  /** A review of an object with an invented kind and operation, in an invented namespace. */
  const invented = (i: number): string =>
    review({
      uid: `u-${i}`,
      operation: i % 3 === 0 ? 'CREATE' : `OP${i}`,
      namespace: `ns-${i}`,
      userInfo: { username: `user-${i}` },
      resource: { group: `g${i}.example`, version: 'v1', resource: `things${i}` },
      object: {
        apiVersion: `g${i}.example/v1`,
        kind: `Kind${i}`,
        metadata: { name: `n-${i}`, namespace: `ns-${i}`, labels: { [`l${i}`]: `v${i}` } },
        spec: { [`field${i}`]: i },
      },
    });

  it('2 000 reviews with invented kinds, operations and namespaces add no series past the first few', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const send = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 8) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(8, to - i) }, (_, k) => post(server, invented(i + k), agent)),
        );
        for (const a of batch) expect(a.status).toBe(200);
      }
    };
    await post(
      server,
      review({ uid: 'd', operation: 'CREATE', namespace: 'shop', object: deployment('web') }),
    );
    await send(0, 30);
    const before = await series(server);
    await send(30, 2000);
    const after = await series(server);
    agent.destroy();
    expect(after.length).toBe(before.length);
    const reviews = after.filter((l) => l.startsWith('kubeha_admission_reviews_total{'));
    for (const line of reviews) {
      const [, operation, kind] = /operation="([^"]*)",kind="([^"]*)"/.exec(line)!;
      expect([...REVIEW_OPERATIONS, 'other']).toContain(operation);
      expect(['', ...REVIEW_KINDS, 'other']).toContain(kind);
    }
    expect(reviews).toContain(
      'kubeha_admission_reviews_total{operation="CREATE",kind="Deployment",result="denied"} 1',
    );
    const count = (re: RegExp): number =>
      reviews.filter((l) => re.test(l)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    // 1 333 of the 2 000 had an invented operation, all an invented kind.
    expect(count(/operation="other",kind="other"/)).toBe(1333);
    expect(count(/operation="CREATE",kind="other"/)).toBe(667);
    expect(after.some((l) => /ns-|Kind\d|OP\d|user-|g\d/.test(l))).toBe(false);
  }, 120_000);
});

describe('request size', () => {
  const limit = 64 * 1024;
  let server: RunningServer;
  beforeAll(async () => ({ server } = await start({ maxBodyBytes: limit })));
  afterAll(() => server.close(1000));

  /** Opens a POST with these headers and calls `body` to write it; resolves with the answer and what was sent by then. */
  function send(
    headers: Record<string, string>,
    body: (write: (b: Buffer) => boolean, wait: (f: () => void) => void, end: () => void) => void,
  ): Promise<{ status: number; body: string; sentBytes: number; ms: number }> {
    const url = new URL(server.admissionUrl);
    const started = performance.now();
    let sentBytes = 0;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              sentBytes,
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      body(
        (b) => {
          sentBytes += b.length;
          return req.write(b);
        },
        (f) => req.once('drain', f),
        () => req.end(),
      );
    });
  }

  it('a Content-Length over the limit is answered 413 before a byte of the body is sent', async () => {
    const r = await send({ 'Content-Length': String(2 ** 30) }, () => undefined);
    expect(r.status).toBe(413);
    expect(r.sentBytes).toBe(0);
    expect(JSON.parse(r.body)).toEqual({ message: `the body is larger than ${limit} bytes` });
    expect(await series(server)).toContain('kubeha_admission_refused_total{reason="body-too-large"} 1');
  });

  it('a 1 GiB body without a length is answered 413 once the limit is passed, every time, not after reading it all', async () => {
    const chunk = Buffer.alloc(2 ** 20, 0x20);
    // Ten times: a connection closed with the body still coming would be reset, and the client would
    // see ECONNRESET or EPIPE instead of the answer.
    for (let i = 0; i < 10; i++) {
      const r = await send({ 'Transfer-Encoding': 'chunked' }, (write, wait, end) => {
        let sent = 0;
        let answered = false;
        const pump = (): void => {
          while (!answered && sent < 2 ** 30) {
            sent += chunk.length;
            if (!write(chunk)) return wait(pump);
          }
          if (!answered) end();
        };
        pump();
        setTimeout(() => (answered = true), 10_000).unref();
      });
      expect(r.status).toBe(413);
      expect(r.sentBytes).toBeLessThan(64 * 2 ** 20);
      expect(r.ms).toBeLessThan(5000);
    }
  }, 60_000);

  it('a body within the limit is read whole and judged', async () => {
    const body = review({ uid: 'ok', operation: 'CREATE', namespace: 'shop', object: deployment('web') });
    expect((await post(server, body.padEnd(limit - 1, ' '))).status).toBe(200);
  });
});

describe('concurrency', () => {
  let server: RunningServer;
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (open = resolve));
  /** Holds every review until the test opens the gate. */
  const held: ContextSource = { contextOf: (ns) => gate.then(() => noContext.contextOf(ns)) };
  beforeAll(async () => ({ server } = await start({ maxInFlight: 2 }, held)));
  afterAll(() => server.close(1000));

  it('past maxInFlight reviews a review is answered 429 at once, with Retry-After; once they finish it is judged', async () => {
    const body = (uid: string): string =>
      review({ uid, operation: 'CREATE', namespace: 'shop', object: deployment(uid) });
    const first = post(server, body('a'));
    const second = post(server, body('b'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const third = await post(server, body('c'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('1');
    expect(JSON.parse(third.body)).toEqual({ message: 'kubeha is judging 2 reviews already' });
    expect(await series(server)).toContain('kubeha_admission_refused_total{reason="too-many-in-flight"} 1');
    open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    gate = Promise.resolve();
    const again = await Promise.all([post(server, body('c')), post(server, body('d'))]);
    expect(again.map((a) => a.status)).toEqual([200, 200]);
  });
});

describe('slow clients (slow-loris)', () => {
  let server: RunningServer;
  const limits = { headersTimeoutMs: 500, requestTimeoutMs: 1000 };
  beforeAll(async () => ({ server } = await start(limits)));
  afterAll(() => server.close(1000));

  /** Connects over TLS, writes `first`, then `drip` every 100 ms; resolves with what came back and when the server closed. */
  function slow(first: string, drip: string): Promise<{ ms: number; answer: string }> {
    const url = new URL(server.admissionUrl);
    const started = performance.now();
    return new Promise((resolve) => {
      let answer = '';
      const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca }, () => {
        socket.write(first);
        const timer = setInterval(() => socket.writable && socket.write(drip), 100);
        socket.once('close', () => clearInterval(timer));
      });
      socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
      socket.on('error', () => undefined);
      socket.once('close', () => resolve({ ms: performance.now() - started, answer }));
      setTimeout(() => socket.destroy(), 10_000).unref();
    });
  }

  it('headers sent a byte at a time are cut at headersTimeout with 408', async () => {
    const r = await slow('POST /validate HTTP/1.1\r\nHost: x\r\nX-A: ', 'a');
    expect(r.ms).toBeLessThan(limits.headersTimeoutMs * 3);
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a body sent a byte at a time is cut at requestTimeout with 408', async () => {
    const r = await slow(
      'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      ' ',
    );
    expect(r.ms).toBeGreaterThan(limits.requestTimeoutMs * 0.9);
    expect(r.ms).toBeLessThan(limits.requestTimeoutMs * 3);
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a connection that never starts its TLS handshake is closed at headersTimeout', async () => {
    const url = new URL(server.admissionUrl);
    const started = performance.now();
    const ms = await new Promise<number>((resolve) => {
      const socket = netConnect({ host: url.hostname, port: Number(url.port) });
      socket.on('error', () => undefined);
      socket.once('close', () => resolve(performance.now() - started));
      setTimeout(() => socket.destroy(), 10_000).unref();
    });
    expect(ms).toBeLessThan(limits.headersTimeoutMs * 3);
  });

  it('the plain-HTTP /metrics endpoint cuts slow headers too', async () => {
    const url = new URL(server.metricsUrl!);
    const started = performance.now();
    const ms = await new Promise<number>((resolve) => {
      const socket = netConnect({ host: url.hostname, port: Number(url.port) }, () => {
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: ');
        const timer = setInterval(() => socket.writable && socket.write('a'), 100);
        socket.once('close', () => clearInterval(timer));
      });
      socket.on('error', () => undefined);
      socket.once('close', () => resolve(performance.now() - started));
      setTimeout(() => socket.destroy(), 10_000).unref();
    });
    expect(ms).toBeLessThan(limits.headersTimeoutMs * 3);
  });
});
