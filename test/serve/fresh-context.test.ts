// serve's context source may be older than the request: a finding that rests on the namespace's objects
// is judged again on a read that started after the request arrived, and only that judgement counts.
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import type { ContextSource, NamespaceContext } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { parseManifests } from '../../src/sources/parse.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { yaml } from '../rule-tester.js';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');
const certs = makeCerts();
let server: RunningServer;

const ALL_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Service',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
]);
const hpa = parseManifests(
  yaml`
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: { name: web, namespace: shop }
    spec:
      scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      minReplicas: 2
      maxReplicas: 6
  `,
  'hpa.yaml',
).objects;

/** A cache read long ago that still holds an HPA since deleted; a fresh read that no longer does. */
const asked: (number | undefined)[] = [];
let cached = hpa;
const staleThenFresh: ContextSource = {
  contextOf: (_ns, readAfter) => {
    asked.push(readAfter);
    const context: NamespaceContext =
      readAfter === undefined
        ? { objects: cached, listed: ALL_KINDS, warnings: [], readAt: 0 }
        : { objects: [], listed: ALL_KINDS, warnings: [], readAt: readAfter };
    return Promise.resolve(context);
  },
};

function review(replicas: number, operation = 'UPDATE'): Promise<{ allowed: boolean; warnings?: string[] }> {
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u',
      operation,
      namespace: 'shop',
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    },
  });
  const url = new URL(server.admissionUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: url.hostname, port: url.port, path: '/validate', method: 'POST', ca: certs.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response: never }).response),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = await startServer({
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    address: '127.0.0.1',
    port: 0,
    context: staleThenFresh,
    settings: { rules: STATIC, denyOn: 'warning' },
    metrics: new ServeMetrics({ processMetrics: false }),
    log: () => undefined,
  });
});
afterAll(() => server.close(1000));

describe('a finding from a cached context is confirmed on a fresh read', () => {
  it('the deleted HPA of the stale cache does not make replicas: 3 a conflict', async () => {
    asked.length = 0;
    const before = Date.now();
    const r = await review(3);
    expect(r.warnings?.join('\n') ?? '').not.toMatch(/hpa-replicas-conflict/);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBeUndefined();
    expect(asked[1]).toBeGreaterThanOrEqual(before);
  });

  it('no second read when every finding is about the object alone', async () => {
    asked.length = 0;
    cached = [];
    const r = await review(3, 'CREATE');
    // No probes, no requests: findings on the object itself, which no other object changes.
    expect(r.warnings?.join('\n')).toMatch(/missing-liveness-probe/);
    expect(asked).toEqual([undefined]);
  });
});
