import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { noContext, type ContextSource } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { duration } from '../../src/cli/io.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');
const certs = makeCerts();
let server: RunningServer;
let metrics: ServeMetrics;
const logged: string[] = [];
let contexts: string[] = [];

/** Records which namespaces were asked for, and lists no kinds: rules that need one are skipped. */
const recording: ContextSource = {
  contextOf: (ns) => {
    contexts.push(ns);
    return noContext.contextOf(ns);
  },
};

function post(path: string, body: string, method = 'POST'): Promise<{ status: number; body: string }> {
  const url = new URL(server.admissionUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        ca: certs.ca,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const review = (object: unknown, namespace = 'shop') =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'u-9', operation: 'CREATE', namespace, object },
  });
const bareDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 1,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
};

beforeAll(async () => {
  metrics = new ServeMetrics({ processMetrics: false });
  server = await startServer({
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    address: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    context: recording,
    settings: { rules: STATIC, denyOn: 'warning' },
    metrics,
    log: (l) => logged.push(l),
    limits: { maxBodyBytes: 64 * 1024 },
  });
});
afterAll(() => server.close(1000));

describe('kubeha serve over HTTPS', () => {
  it('answers a review: rules needing a kind the context lacks are skipped; self-contained findings deny', async () => {
    contexts = [];
    const r = await post('/validate', review(bareDeployment));
    expect(r.status).toBe(200);
    const { response } = JSON.parse(r.body) as {
      response: { uid: string; allowed: boolean; warnings: string[]; status: { message: string } };
    };
    expect(response.uid).toBe('u-9');
    expect(response.allowed).toBe(false);
    // single-replica needs HPAs, which this context could not list: skipped, not guessed.
    expect(response.warnings.some((w) => w.includes('single-replica'))).toBe(false);
    expect(response.warnings.some((w) => w.startsWith('kubeha warning recreate-strategy: '))).toBe(true);
    expect(response.status.message).toMatch(/recreate-strategy/);
    expect(contexts).toEqual(['shop']);
    expect(logged.some((l) => /denied CREATE Deployment shop\/web: .*recreate-strategy/.test(l))).toBe(true);
  });

  it('refuses what is not a review, with a status and a reason', async () => {
    expect(await post('/validate', '{not json')).toMatchObject({
      status: 400,
      body: '{"message":"the body is not JSON"}',
    });
    expect((await post('/validate', '{"kind":"Pod"}')).status).toBe(400);
    expect((await post('/validate', 'x'.repeat(70 * 1024))).status).toBe(413);
    expect((await post('/validate', '', 'GET')).status).toBe(405);
    expect((await post('/nowhere', '')).status).toBe(404);
    expect(await post('/healthz', '', 'GET')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('counts reviews and findings at /metrics, in the Prometheus text format', async () => {
    await post(
      '/validate',
      review({
        ...bareDeployment,
        metadata: { name: 'ok-ish', namespace: 'shop' },
        spec: { ...bareDeployment.spec, strategy: undefined },
      }),
    );
    const text = await fetch(server.metricsUrl!).then((r) => r.text());
    expect(text).toMatch(
      /^kubeha_admission_reviews_total\{operation="CREATE",kind="Deployment",result="denied"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^kubeha_admission_findings_total\{rule="recreate-strategy",severity="warning"\} [1-9]/m,
    );
    expect(text).toMatch(/^kubeha_admission_duration_seconds_count [1-9]/m);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('records a periodic scan as one gauge per namespace, rule and severity, replacing the last', () => {
    const f = (namespace: string, rule: string) => ({
      rule,
      severity: 'error' as const,
      category: 'workload' as const,
      message: 'm',
      detail: '',
      object: { apiVersion: 'v1', kind: 'Pod', namespace, name: 'p' },
    });
    metrics.recordScan(
      [f('a', 'singleton-pod'), f('a', 'singleton-pod'), f('b', 'single-replica')],
      1.5,
      1_700_000_000_000,
    );
    metrics.recordScan([f('a', 'singleton-pod')], 0.5, 1_700_000_060_000);
    return metrics.registry.metrics().then((text) => {
      expect(text).toMatch(
        /^kubeha_cluster_findings\{namespace="a",rule="singleton-pod",severity="error"\} 1$/m,
      );
      expect(text).not.toMatch(/namespace="b"/);
      expect(text).toMatch(/^kubeha_scan_last_success_timestamp_seconds 1700000060$/m);
    });
  });
});

describe('durations', () => {
  it('reads 250ms, 30s, 5m, 1h and 0; refuses the rest', () => {
    expect([
      duration('--x', '250ms'),
      duration('--x', '30s'),
      duration('--x', '5m'),
      duration('--x', '1h'),
      duration('--x', '0'),
    ]).toEqual([250, 30_000, 300_000, 3_600_000, 0]);
    expect(() => duration('--x', '5')).toThrow(/needs a unit/);
    expect(() => duration('--x', 'soon')).toThrow(/must be a duration/);
  });
});
