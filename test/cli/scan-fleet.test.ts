// scan on several contexts, where no cluster is needed to judge it: the flags that make no sense
// (one line, exit 2), and that the clusters are read at once rather than one after another. What a
// fleet's report says of real clusters is tested against two control planes (test/e2e/scan-fleet.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

function kubeconfig(contexts: { name: string; server: string }[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubeha-fleet-')), 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({
        name: c.name,
        cluster: { server: c.server, 'insecure-skip-tls-verify': true },
      })),
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: 'u' } })),
      ...(contexts[0] ? { 'current-context': contexts[0].name } : {}),
    }),
  );
  return file;
}

function expectOneLine(r: { code: number; stderr: string; stdout: string }, line: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  if (typeof line === 'string') expect(r.stderr).toBe(`kubeha: ${line}\n`);
  else expect(r.stderr).toMatch(line);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

/** Accepts every connection and never writes a byte: a TLS handshake with it waits until the request timeout. */
class SilentPeer {
  readonly server: Server = createServer((socket) => this.accept(socket));
  open = new Set<Socket>();
  private accept(socket: Socket): void {
    this.open.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => this.open.delete(socket));
  }
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }
  close(): Promise<void> {
    for (const s of this.open) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('kubeha scan on several contexts', () => {
  const peers = Array.from({ length: 4 }, () => new SilentPeer());
  let silent: string;

  beforeAll(async () => {
    // The first scan of a process loads the client library: seconds on a loaded machine, which the
    // timing below is not about.
    await run(['scan', '--kubeconfig', kubeconfig([{ name: 'warm', server: 'https://127.0.0.1:1' }])]);
    const ports = await Promise.all(peers.map((p) => p.listen()));
    silent = kubeconfig(
      ports.map((port, i) => ({ name: `silent-${i + 1}`, server: `https://127.0.0.1:${port}` })),
    );
  });
  afterAll(() => Promise.all(peers.map((p) => p.close())));

  it('reads the clusters at once: four that never answer cost one request timeout, not four', async () => {
    const started = performance.now();
    const r = await run([
      'scan',
      '--kubeconfig',
      silent,
      '--all-contexts',
      '--request-timeout',
      '2s',
      '-o',
      'json',
    ]);
    const seconds = (performance.now() - started) / 1000;
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.clusters.map((c: { context: string }) => c.context)).toEqual([
      'silent-1',
      'silent-2',
      'silent-3',
      'silent-4',
    ]);
    for (const c of out.clusters)
      expect(c.error).toMatch(
        /^no answer from https:\/\/127\.0\.0\.1:\d+ in 2 s: .*\(--request-timeout waits longer\)$/,
      );
    expect(out.summary).toMatchObject({ clusters: 4, failedClusters: 4, error: 0 });
    // One after another, they would take at least 4 × 2 s.
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(6);
  });

  it('a cluster that fails is an error for --fail-on, unless --fail-on none', async () => {
    const cfg = kubeconfig([{ name: 'refused', server: 'https://127.0.0.1:1' }]);
    const failing = await run(['scan', '--kubeconfig', cfg, '--all-contexts']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(
      /^━━ refused \(https:\/\/127\.0\.0\.1:1\)\n✖ not scanned: cannot reach https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    expect(failing.stdout).toMatch(
      /\n✖ 1 cluster, 1 not scanned: 0 problems \(0 errors, 0 warnings, 0 info\) in 0 objects, 0 workloads\n$/,
    );
    expect((await run(['scan', '--kubeconfig', cfg, '--all-contexts', '--fail-on', 'none'])).code).toBe(0);
  });

  it('flags that make no sense together, or a kubeconfig without contexts: one line, exit 2', async () => {
    const cfg = kubeconfig([{ name: 'a', server: 'https://127.0.0.1:1' }]);
    expectOneLine(
      await run(['scan', '--kubeconfig', cfg, '--context', 'a', '--all-contexts']),
      '--context and --all-contexts exclude each other',
    );
    expectOneLine(
      await run(['scan', '--kubeconfig', cfg, '--all-contexts', '-n', 'x', '-A']),
      '--namespace and --all-namespaces exclude each other',
    );
    expectOneLine(
      await run(['scan', '--kubeconfig', kubeconfig([]), '--all-contexts']),
      '--all-contexts: the kubeconfig has no context',
    );
    expectOneLine(
      await run(['scan', '--kubeconfig', '/nonexistent/kubeconfig', '--context', 'a', '--context', 'b']),
      /^kubeha: cannot load the kubeconfig: ENOENT/,
    );
  });

  it('simulate --cluster takes one context, and says so before reading any', async () => {
    const cfg = kubeconfig([
      { name: 'a', server: 'https://127.0.0.1:1' },
      { name: 'b', server: 'https://127.0.0.1:1' },
    ]);
    expectOneLine(
      await run(['simulate', '--cluster', '--kubeconfig', cfg, '--context', 'a', '--context', 'b']),
      '--context was given 2 times (a, b): only kubeha scan reads several clusters; run this once per context',
    );
  });
});
