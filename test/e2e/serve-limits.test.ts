// What the real kube-apiserver does when kubeha serve turns a review away (429 with Retry-After: 1,
// past maxInFlight): it calls again, about once a second, until the webhook's timeoutSeconds; a slot
// freed meanwhile gets the review judged. Only at the timeout does failurePolicy decide: Ignore admits
// the object unchecked, Fail refuses it naming the webhook. docs/serve.md, "Limits", reports this test.
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { rules } from '../../src/rules/index.js';
import { noContext, type ContextSource } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { until, type Obj } from './support.js';

const WEBHOOK = 'kubeha-serve-limits-e2e';
const IGNORE = 'kubeha-limits-ignore';
const FAIL = 'kubeha-limits-fail';
const TIMEOUT_S = 4;
const certs = makeCerts();
let kc: Kubeconfig;
let server: RunningServer;
const metrics = new ServeMetrics({ processMetrics: false });
let open: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();
/** Holds a review while the gate is shut: with maxInFlight 1, every other review is turned away. */
const held: ContextSource = { contextOf: (ns) => gate.then(() => noContext.contextOf(ns)) };

const deployment = (name: string, namespace: string): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: 'nginx:1.27' }] },
    },
  },
});

const refused = async (): Promise<number> => {
  const text = await metrics.registry.metrics();
  return Number(
    /^kubeha_admission_refused_total\{reason="too-many-in-flight"\} (\d+)$/m.exec(text)?.[1] ?? 0,
  );
};

/** A review sent straight to the webhook, answered once the gate opens. */
function holdTheSlot(): Promise<number> {
  const url = new URL(server.admissionUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca: certs.ca },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { uid: 'held', operation: 'CREATE', namespace: 'x', object: deployment('held', 'x') },
      }),
    );
  });
}

const webhook = (name: string, namespace: string, failurePolicy: 'Ignore' | 'Fail') => ({
  name,
  clientConfig: { url: server.admissionUrl, caBundle: certs.ca.toString('base64') },
  rules: [
    {
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      operations: ['CREATE'],
      resources: ['deployments'],
    },
  ],
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  failurePolicy,
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  timeoutSeconds: TIMEOUT_S,
});

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfigPath());
  server = await startServer({
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    address: '127.0.0.1',
    port: 0,
    context: held,
    settings: { rules: rules.filter((r) => (r.scope ?? 'static') === 'static'), denyOn: 'error' },
    metrics,
    log: () => undefined,
    limits: { maxInFlight: 1 },
  });
  for (const ns of [IGNORE, FAIL])
    await kubeCall(
      kc,
      'POST',
      '/api/v1/namespaces',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      undefined,
      [409],
    );
  const path = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
  await kubeCall(kc, 'DELETE', `${path}/${WEBHOOK}`, undefined, undefined, [404]);
  await kubeCall(kc, 'POST', path, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: WEBHOOK },
    webhooks: [webhook('ignore.kubeha.io', IGNORE, 'Ignore'), webhook('fail.kubeha.io', FAIL, 'Fail')],
  });
  // The API server picks the configuration up from its informer: a dry run shows when it calls us.
  await until('the API server to call the webhook', 30_000, async () => {
    const r = await kubeRequest(
      kc,
      'POST',
      `/apis/apps/v1/namespaces/${FAIL}/deployments?dryRun=All`,
      deployment('probe', FAIL),
    );
    const h = r.headers['warning'];
    return (Array.isArray(h) ? h.join('\n') : (h ?? '')).includes('kubeha') ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  open();
  await kubeCall(
    kc,
    'DELETE',
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${WEBHOOK}`,
    undefined,
    undefined,
    [404],
  ).catch(() => undefined);
  for (const ns of [IGNORE, FAIL])
    await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${ns}`, undefined, undefined, [404]).catch(
      () => undefined,
    );
  await server.close(1000);
});

const create = async (namespace: string, name: string) => {
  const started = performance.now();
  const r = await kubeRequest(
    kc,
    'POST',
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    deployment(name, namespace),
  );
  const h = r.headers['warning'];
  return { ...r, ms: performance.now() - started, warnings: Array.isArray(h) ? h.join('\n') : (h ?? '') };
};

describe('a review turned away with 429, as the real API server takes it', () => {
  it('the API server calls again until timeoutSeconds, then failurePolicy decides: Ignore admits unchecked, Fail refuses', async () => {
    gate = new Promise((resolve) => (open = resolve));
    const slot = holdTheSlot();
    // The review reaches the server and waits at the gate.
    await new Promise((r) => setTimeout(r, 300));

    let before = await refused();
    const ignored = await create(IGNORE, 'unchecked');
    const ignoredCalls = (await refused()) - before;
    before = await refused();
    const failed = await create(FAIL, 'refused');
    const failedCalls = (await refused()) - before;
    console.log(
      `429 and failurePolicy Ignore: HTTP ${ignored.status} in ${Math.round(ignored.ms)} ms after ${ignoredCalls} calls; ` +
        `Fail: HTTP ${failed.status} in ${Math.round(failed.ms)} ms after ${failedCalls} calls: ${failed.body.message}`,
    );
    expect(ignored.status).toBe(201);
    // Unchecked: none of kubeha's warnings (this Deployment has several when it is judged).
    expect(ignored.warnings).not.toContain('kubeha');
    expect(failed.status).toBe(500);
    expect(failed.body.message).toMatch(/failed calling webhook "fail\.kubeha\.io"/);
    for (const r of [ignored, failed]) expect(r.ms).toBeGreaterThan(TIMEOUT_S * 1000 * 0.9);
    // Called again after the 429 (Retry-After: 1), not once.
    expect(ignoredCalls).toBeGreaterThanOrEqual(2);
    expect(failedCalls).toBeGreaterThanOrEqual(2);
    open();
    expect(await slot).toBe(200);
  }, 60_000);

  it('a slot freed before timeoutSeconds: the call after it is judged (kubeha warnings), even with Fail', async () => {
    gate = new Promise((resolve) => (open = resolve));
    const slot = holdTheSlot();
    await new Promise((r) => setTimeout(r, 300));
    const before = await refused();
    const pending = create(FAIL, 'judged');
    setTimeout(() => {
      gate = Promise.resolve();
      open();
    }, 1500);
    const judged = await pending;
    expect(await slot).toBe(200);
    expect((await refused()) - before).toBeGreaterThanOrEqual(1);
    expect(judged.status).toBe(201);
    expect(judged.warnings).toContain('kubeha');
    expect(judged.ms).toBeLessThan(TIMEOUT_S * 1000);
  }, 60_000);
});
