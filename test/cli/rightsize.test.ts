import { describe, expect, it } from 'vitest';
import { run } from './run.js';

// The CLI's answers to bad input: one line on stderr, exit 2, nothing on stdout, before any
// source is asked. (The runs against a real Prometheus are in test/e2e/rightsize-cli.test.ts.)
const SHOP = 'examples/rightsize/shop.yaml';

async function refused(args: string[]): Promise<string> {
  const r = await run(['rightsize', ...args]);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe('kubeha rightsize: bad input', () => {
  it('wants exactly one usage source', async () => {
    expect(await refused(['-f', SHOP])).toBe(
      'kubeha: name one usage source: --prometheus URL (history) or --metrics-api (samples taken now, over --window)',
    );
    expect(await refused(['-f', SHOP, '--metrics-api', '--prometheus', 'http://127.0.0.1:1'])).toContain(
      'name one usage source',
    );
  });

  it('refuses flags of the other source, a URL that is not one, and --write without manifests', async () => {
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', '--window', '5m'])).toBe(
      'kubeha: --window and --interval are for --metrics-api; Prometheus takes --history-length and --history-resolution',
    );
    expect(await refused(['-f', SHOP, '--prometheus', 'localhost:9090'])).toBe(
      'kubeha: --prometheus must be an http(s) URL like http://127.0.0.1:9090 (got "localhost:9090")',
    );
    expect(await refused(['-f', '-', '--prometheus', 'http://x', '--write'])).toBe(
      'kubeha: --write writes files: not with stdin (-f -)',
    );
    expect(await refused(['--prometheus', 'http://x', '--write'])).toBe(
      'kubeha: --write edits manifests: name them with -f (a live cluster is not written)',
    );
  });

  it('refuses a bearer token file it cannot read or that holds no single token', async () => {
    expect(
      await refused([
        '-f',
        SHOP,
        '--prometheus',
        'http://x',
        '--prometheus-bearer-token-file',
        'no/such/token',
      ]),
    ).toBe('kubeha: --prometheus-bearer-token-file no/such/token: cannot read it (ENOENT)');
    expect(
      await refused(['-f', SHOP, '--prometheus', 'http://x', '--prometheus-bearer-token-file', SHOP]),
    ).toBe(`kubeha: --prometheus-bearer-token-file ${SHOP}: holds no single token`);
  });

  it("checks the recommender's parameters and the limits policy", async () => {
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', '--history-length', '8 days'])).toBe(
      'kubeha: --history-length must be a duration like 8d, 1h, 10m or 30s (got "8 days")',
    );
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', '--target-cpu-percentile', 'high'])).toBe(
      'kubeha: --target-cpu-percentile must be a number ≥ 0 (got "high")',
    );
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', '--oom-min-bump-up-bytes', 'lots'])).toBe(
      'kubeha: --oom-min-bump-up-bytes must be a quantity like 100Mi (got "lots")',
    );
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', '--limits', 'double'])).toContain(
      "option '--limits <policy>' argument 'double' is invalid",
    );
  });

  it('says a named workload that is not there, and a name that is not a workload', async () => {
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', 'deployment/nope'])).toBe(
      'kubeha: no workload Deployment nope in the manifests',
    );
    expect(await refused(['-f', SHOP, '--prometheus', 'http://x', 'service/web'])).toBe(
      'kubeha: "service/web" is not a workload: name one as deployment/web, statefulset/db or web',
    );
  });

  it('says a Prometheus nobody listens on in one line', async () => {
    // Port 1 on 127.0.0.1: refused at once.
    const line = await refused(['-f', SHOP, '--prometheus', 'http://127.0.0.1:1', '--no-proof']);
    expect(line).toMatch(/^kubeha: .*127\.0\.0\.1:1/);
  });

  it('lists the flags with VPA’s defaults in --help', async () => {
    const r = await run(['rightsize', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--recommendation-margin-fraction <n>');
    expect(r.stdout).toMatch(
      /--history-length <duration>\s+how much usage history to read \(Prometheus\)\s+\(default: 8d\)/,
    );
    expect(r.stdout).toMatch(/--oom-min-bump-up-bytes <quantity>[\s\S]*?\(default: 100Mi\)/);
  });
});
