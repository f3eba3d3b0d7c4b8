// scan's failures before any cluster answers: one line on stderr, exit 2, never a stack trace. What
// scan reports on a live cluster is tested against the real control plane (test/e2e/scan.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

function kubeconfig(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubeha-scan-')), 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

function expectOneLine(r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('kubeha scan, before the cluster answers', () => {
  it('an API server that does not answer', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const r = await run(['scan', '--kubeconfig', kubeconfig('https://127.0.0.1:1')]);
    expectOneLine(r, /^kubeha: cannot reach https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('a kubeconfig that does not exist', async () => {
    const r = await run(['scan', '--kubeconfig', '/nonexistent/kubeconfig']);
    expectOneLine(r, /^kubeha: cannot load the kubeconfig: ENOENT/);
  });

  it('a context the kubeconfig does not have', async () => {
    const r = await run(['scan', '--kubeconfig', kubeconfig('https://127.0.0.1:1'), '--context', 'prod']);
    expectOneLine(r, /^kubeha: no context "prod" in the kubeconfig/);
  });

  it('flags that exclude each other or make no sense', async () => {
    const cfg = kubeconfig('https://127.0.0.1:1');
    expectOneLine(await run(['scan', '--kubeconfig', cfg, '-n', 'a', '-A']), /exclude each other/);
    expectOneLine(
      await run(['scan', '--kubeconfig', cfg, '--chunk-size', '0']),
      /--chunk-size must be a whole number/,
    );
    expectOneLine(
      await run(['scan', '--kubeconfig', cfg, '--rule', 'no-such-rule']),
      /no rule "no-such-rule"/,
    );
  });
});
