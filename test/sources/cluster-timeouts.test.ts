// Talking to an API server that misbehaves: kubeha says so in one line, in bounded time, and leaves
// no socket open. The peers here are real TCP and HTTP servers on loopback that stand for a broken
// network (a server that accepts and never answers, a load balancer that answers 503): they say
// nothing about Kubernetes, whose answers are tested against the real control plane (test/e2e).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ClusterUnreachable,
  connect,
  NoAnswer,
  READ_ATTEMPTS,
} from '../../src/sources/cluster-client.js';
import { cachedContext } from '../../src/serve/context.js';
import { run } from '../cli/run.js';

function kubeconfig(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubeha-timeouts-')), 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'shop' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

/**
 * Accepts every connection and never writes a byte; counts connections and sees them closed (it
 * reads what the client sends and drops it: a socket that is not read never sees the other end go).
 */
class SilentPeer {
  readonly server: Server = createServer((socket) => this.accept(socket));
  connections = 0;
  open = new Set<Socket>();
  private accept(socket: Socket): void {
    this.connections++;
    this.open.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => this.open.delete(socket));
  }
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }
  /** Resolves when every connection the client opened has been closed by it (or fails after 2 s). */
  async allClosed(): Promise<boolean> {
    for (let i = 0; i < 40 && this.open.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    return this.open.size === 0;
  }
  close(): Promise<void> {
    for (const s of this.open) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function expectOneLine(r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

describe.concurrent('an API server that accepts the connection and never answers', () => {
  const peer = new SilentPeer();
  let https = '';
  let http = '';
  beforeAll(async () => {
    // What a test worker pays once to load and transform the CLI's modules (seconds on a loaded
    // machine) is not the command's time: the shipped bundle starts in well under one.
    await Promise.all([import('../../src/cli/main.js'), import('@kubernetes/client-node')]);
    const port = await peer.listen();
    https = kubeconfig(`https://127.0.0.1:${port}`);
    http = kubeconfig(`http://127.0.0.1:${port}`);
  });
  afterAll(() => peer.close());

  // The default request timeout (10 s) is what bounds each: nothing is waited for forever.
  for (const args of [['scan'], ['chaos', 'node-loss', 'x', '--yes'], ['simulate', '--cluster']])
    it(`kubeha ${args.join(' ')}: one line within 15 s`, async () => {
      const { value: r, seconds } = await timed(() => run([...args, '--kubeconfig', https]));
      expectOneLine(
        r,
        /^kubeha: no answer from https:\/\/127\.0\.0\.1:\d+ in 10 s: it accepted the connection but the TLS handshake did not finish \(--request-timeout waits longer\)\n$/,
      );
      expect(seconds).toBeGreaterThanOrEqual(9.9);
      expect(seconds).toBeLessThan(15);
    });

  it("serve's read of a namespace: a warning within 15 s, and the review goes on without it", async () => {
    // serve connects with the defaults (it has no --request-timeout): the same 10 s.
    const client = await connect({ kubeconfig: https });
    const { value: context, seconds } = await timed(() => cachedContext(client, 10_000).contextOf('shop'));
    expect(context.objects).toEqual([]);
    expect(context.warnings).toEqual([
      expect.stringMatching(/^no answer from https:\/\/127\.0\.0\.1:\d+ in 10 s: it accepted the connection/),
    ]);
    expect(seconds).toBeLessThan(15);
  });

  it('plain http: the request is sent and no answer comes', async () => {
    const { value: r, seconds } = await timed(() => run(['scan', '--kubeconfig', http]));
    expectOneLine(
      r,
      /^kubeha: no answer from http:\/\/127\.0\.0\.1:\d+ in 10 s: the request was sent and no answer came/,
    );
    expect(seconds).toBeLessThan(15);
  });

  it('chaos takes --request-timeout, as scan and simulate do', async () => {
    for (const args of [['chaos', 'zone-loss', 'a', '--yes'], ['scan'], ['simulate', '--cluster']]) {
      const { value: r, seconds } = await timed(() =>
        run([...args, '--kubeconfig', https, '--request-timeout', '2s']),
      );
      expectOneLine(r, /^kubeha: no answer from https:\/\/127\.0\.0\.1:\d+ in 2 s: /);
      expect(seconds).toBeGreaterThanOrEqual(1.9);
      expect(seconds).toBeLessThan(6);
    }
  });

  it('a read that got no answer is not tried again, and its socket is closed', async () => {
    const own = new SilentPeer();
    try {
      const client = await connect({
        kubeconfig: kubeconfig(`https://127.0.0.1:${await own.listen()}`),
        timeoutMs: 1000,
      });
      const { value: error, seconds } = await timed(() => client.get('/apis').catch((e: unknown) => e));
      expect(error).toBeInstanceOf(NoAnswer);
      expect(seconds).toBeLessThan(3);
      expect(own.connections).toBe(1);
      expect(await own.allClosed()).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('a watch gets the same timeout for the API server to accept it', async () => {
    const own = new SilentPeer();
    try {
      const client = await connect({
        kubeconfig: kubeconfig(`https://127.0.0.1:${await own.listen()}`),
        timeoutMs: 1000,
      });
      const signal = new AbortController().signal;
      const { value: error, seconds } = await timed(() =>
        client
          .watch('/api/v1/pods', { resourceVersion: '1', signal }, () => undefined)
          .catch((e: unknown) => e),
      );
      expect(error).toBeInstanceOf(NoAnswer);
      expect((error as Error).message).toMatch(
        /in 1 s: it accepted the connection but the TLS handshake did not finish/,
      );
      expect(seconds).toBeLessThan(3);
      expect(await own.allClosed()).toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe('no kubeconfig anywhere', () => {
  const home = mkdtempSync(join(tmpdir(), 'kubeha-home-'));
  // run() hands the commands an environment of its own: KUBECONFIG and KUBERNETES_SERVICE_HOST unset.
  for (const args of [['scan'], ['chaos', 'node-loss', 'x', '--yes'], ['simulate', '--cluster']])
    it(`kubeha ${args.join(' ')} says where it looked and how to point at one`, async () => {
      const r = await run(args, { env: { HOME: home } });
      expectOneLine(
        r,
        new RegExp(
          `^kubeha: no kubeconfig: KUBECONFIG is not set, ${home}/\\.kube/config does not exist, not in a cluster \\(KUBERNETES_SERVICE_HOST is not set\\); point at one with --kubeconfig <file> or KUBECONFIG=<file>\\n$`,
        ),
      );
    });

  it('KUBECONFIG naming files that do not exist', async () => {
    const r = await run(['scan'], { env: { HOME: home, KUBECONFIG: '/nonexistent/a:/nonexistent/b' } });
    expectOneLine(
      r,
      /^kubeha: no kubeconfig: KUBECONFIG names \/nonexistent\/a, \/nonexistent\/b, and none of them exists; point at one with --kubeconfig <file> or KUBECONFIG=<file>\n$/,
    );
  });

  it('KUBECONFIG is read from the command environment, missing entries skipped as kubectl does', async () => {
    const peer = new SilentPeer();
    const port = await peer.listen();
    try {
      const r = await run(['scan', '--request-timeout', '1'], {
        env: { HOME: home, KUBECONFIG: `/nonexistent/a:${kubeconfig(`https://127.0.0.1:${port}`)}` },
      });
      expectOneLine(r, new RegExp(`^kubeha: no answer from https://127\\.0\\.0\\.1:${port} in 1 s`));
    } finally {
      await peer.close();
    }
  });
});

/** Answers each request with the next status of `script` (then 200 {}), counting requests. */
async function flakyBalancer(
  script: { status: number; retryAfter?: string }[],
): Promise<{ server: HttpServer; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const next = script[requests.length - 1];
    res.writeHead(next?.status ?? 200, {
      'Content-Type': 'application/json',
      ...(next?.retryAfter !== undefined ? { 'Retry-After': next.retryAfter } : {}),
    });
    res.end(JSON.stringify(next ? { kind: 'Status', message: `HTTP ${next.status} from the balancer` } : {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

describe('bounded retries: reads only, on a failed connection, 429 and 5xx, with backoff', () => {
  it('a read through a balancer that answers 503 then 429 succeeds on the third attempt', async () => {
    const lb = await flakyBalancer([{ status: 503 }, { status: 429, retryAfter: '1' }]);
    try {
      const client = await connect({ kubeconfig: kubeconfig(lb.url) });
      const { value, seconds } = await timed(() => client.get('/api/v1/nodes'));
      expect(value).toEqual({});
      expect(lb.requests).toEqual(['GET /api/v1/nodes', 'GET /api/v1/nodes', 'GET /api/v1/nodes']);
      // 0.25 s, then the 1 s the 429 asked for.
      expect(seconds).toBeGreaterThanOrEqual(1.2);
    } finally {
      lb.server.close();
    }
  });

  it(`gives up after ${READ_ATTEMPTS} attempts and says so`, async () => {
    const lb = await flakyBalancer(Array.from({ length: 10 }, () => ({ status: 502 })));
    try {
      const client = await connect({ kubeconfig: kubeconfig(lb.url) });
      const error = await client.get('/apis').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 502,
        message: `HTTP 502 from the balancer (tried ${READ_ATTEMPTS} times)`,
      });
      expect(lb.requests).toHaveLength(READ_ATTEMPTS);
    } finally {
      lb.server.close();
    }
  });

  it('never retries a change (POST, PATCH, DELETE), nor a 4xx other than 429', async () => {
    const lb = await flakyBalancer([{ status: 503 }, { status: 403 }]);
    try {
      const client = await connect({ kubeconfig: kubeconfig(lb.url) });
      await expect(client.send('DELETE', '/api/v1/namespaces/a/pods/p')).rejects.toMatchObject({
        status: 503,
      });
      await expect(client.get('/api/v1/pods')).rejects.toMatchObject({ status: 403 });
      expect(lb.requests).toEqual(['DELETE /api/v1/namespaces/a/pods/p', 'GET /api/v1/pods']);
    } finally {
      lb.server.close();
    }
  });

  it('a refused connection is tried again, then said in one error', async () => {
    const client = await connect({ kubeconfig: kubeconfig('https://127.0.0.1:1') });
    const { value: error, seconds } = await timed(() => client.get('/apis').catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ClusterUnreachable);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot reach https://127\\.0\\.0\\.1:1: .*ECONNREFUSED.* \\(tried ${READ_ATTEMPTS} times\\)$`,
      ),
    );
    // 0.25 + 0.5 + 1 s of backoff.
    expect(seconds).toBeGreaterThanOrEqual(1.7);
    expect(seconds).toBeLessThan(10);
  });
});
