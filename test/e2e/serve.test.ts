// kubeha serve as the real kube-apiserver's validating admission webhook: the API server calls it by
// URL over TLS on every create and update in one labelled namespace, kubectl-style warnings come back
// as Warning headers, a denial as the request's error; the namespace context is read from the same
// API server; /metrics counts it all.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { ROOT } from '../cli/run.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { kubectl, kubehaWarnings, service } from './correct-workloads.js';
import { until, type Obj } from './support.js';

const NS = 'kubeha-serve-e2e';
const WEBHOOK = 'kubeha-serve-e2e';
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
let serve: ChildProcess;
let admissionUrl = '';
let metricsUrl = '';
const log: string[] = [];

const deployment = (name: string, replicas: number, extra = ''): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    ...(extra === 'all-unavailable' ? { strategy: { rollingUpdate: { maxUnavailable: '100%' } } } : {}),
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name,
            image: 'nginx:1.27',
            // The HPA of the second case scales on cpu: without a request, hpa-missing-requests (an error) denies it.
            ...(extra === 'requests' ? { resources: { requests: { cpu: '100m', memory: '64Mi' } } } : {}),
          },
        ],
      },
    },
  },
});

const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;

/** A folder of one manifest per file, as a repository keeps them. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-serve-apply-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The admission warnings of a response: `299 - "text"` headers. */
function warnings(res: { headers: Record<string, string | string[] | undefined> }): string {
  const h = res.headers['warning'];
  return Array.isArray(h) ? h.join('\n') : (h ?? '');
}

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  const certs = makeCerts();
  serve = spawn(
    process.execPath,
    [
      // KUBEHA_E2E_BIN: a build of one's own (dist/ is shared while several people work in one tree).
      process.env['KUBEHA_E2E_BIN'] ?? join(ROOT, 'dist/cli/bin.js'),
      'serve',
      '--tls-cert',
      certs.cert,
      '--tls-key',
      certs.key,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--metrics-port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--deny-on',
      'error',
      // The default context cache (10 s): a finding must never come from it being stale.
      '--scan-interval',
      '2s',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const lines = createInterface({ input: serve.stderr! });
  lines.on('line', (l) => log.push(l));
  await until('kubeha serve to listen', 30_000, () => {
    const m = log.map((l) => /webhook on (\S+) .*metrics on (\S+),/.exec(l)).find(Boolean);
    if (m) [admissionUrl, metricsUrl] = [m[1]!, m[2]!];
    return Promise.resolve(m ? true : undefined);
  });

  await kubeCall(
    kc,
    'POST',
    '/api/v1/namespaces',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    undefined,
    [409],
  );
  await kubeCall(
    kc,
    'DELETE',
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${WEBHOOK}`,
    undefined,
    undefined,
    [404],
  );
  await kubeCall(kc, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: WEBHOOK },
    webhooks: [
      {
        name: 'workloads.kubeha.io',
        clientConfig: { url: admissionUrl, caBundle: certs.ca.toString('base64') },
        rules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['deployments', 'statefulsets', 'daemonsets'],
          },
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          {
            apiGroups: ['autoscaling'],
            apiVersions: ['v2'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['horizontalpodautoscalers'],
          },
          {
            apiGroups: ['policy'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['poddisruptionbudgets'],
          },
        ],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } },
        // Fail, so that a webhook the API server could not call fails the test instead of passing it.
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  });
  // The API server picks the configuration up from its informer: a dry run shows when it calls us.
  await until('the API server to call the webhook', 30_000, async () => {
    const r = await kubeRequest(kc, 'POST', `${DEPLOYMENTS}?dryRun=All`, deployment('probe', 1));
    return warnings(r).includes('kubeha') ? true : undefined;
  });
});

afterAll(async () => {
  await kubeCall(
    kc,
    'DELETE',
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${WEBHOOK}`,
    undefined,
    undefined,
    [404],
  ).catch(() => undefined);
  await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${NS}`, undefined, undefined, [404]).catch(
    () => undefined,
  );
  if (serve.exitCode === null) serve.kill('SIGKILL');
});

describe('kubeha serve as the admission webhook of a real API server', () => {
  it('admits a one-replica Deployment with warnings kubectl prints; what the HPA to come may excuse is left to the scan', async () => {
    const r = await kubeRequest(kc, 'POST', DEPLOYMENTS, deployment('solo', 1));
    expect(r.status).toBe(201);
    expect(warnings(r)).toMatch(
      /kubeha warning missing-liveness-probe: Container solo of Deployment solo has no livenessProbe/,
    );
    // single-replica reads the absence of an HPA that the same apply may still create: the periodic
    // scan reports it (kubeha_cluster_findings, below).
    expect(warnings(r)).not.toMatch(/single-replica/);
  });

  it("keeps each of kubeha's warnings to 120 characters, headline first, on a 253-character name; the API server passes them whole", async () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name).toHaveLength(253);
    const r = await kubeRequest(kc, 'POST', DEPLOYMENTS, {
      ...deployment('longname', 1),
      metadata: { name, namespace: NS },
    });
    try {
      expect(r.status).toBe(201);
      // Each warning is a `299 - "text"` value; several are joined in one header, whose UTF-8 bytes
      // node reads as latin1 (the ellipsis of a shortened name). The API server adds a warning of its
      // own (a name with dots makes surprising Pod host names), longer than 120: not kubeha's.
      const texts = [...warnings(r).matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) =>
        Buffer.from(m[1]!, 'latin1').toString('utf8'),
      );
      const ours = texts.filter((t) => t.startsWith('kubeha '));
      expect(ours.length).toBeGreaterThan(1);
      for (const t of ours) {
        expect(t.length, t).toBeLessThanOrEqual(120);
        expect(t).toMatch(/^kubeha (error|warning|info) [a-z-]+: \S/);
      }
      expect(ours.join('\n')).toMatch(
        /kubeha warning missing-liveness-probe: Container longname of Deployment a{5,}/,
      );
    } finally {
      await kubeRequest(kc, 'DELETE', `${DEPLOYMENTS}/${name}`);
    }
  });

  it("reads the namespace's objects from the API server: an HPA there sets the floor", async () => {
    await kubeCall(kc, 'POST', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'scaled', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' },
        minReplicas: 2,
        maxReplicas: 5,
      },
    });
    const r = await kubeRequest(kc, 'POST', DEPLOYMENTS, deployment('scaled', 1, 'requests'));
    expect(r.status).toBe(201);
    expect(warnings(r)).toMatch(/kubeha /);
    expect(warnings(r)).not.toMatch(/single-replica/);
  });

  it('denies a Deployment whose rolling update stops every pod (--deny-on error), with the reason', async () => {
    const r = await kubeRequest(kc, 'POST', DEPLOYMENTS, deployment('reckless', 3, 'all-unavailable'));
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(
      /admission webhook "workloads\.kubeha\.io" denied the request: kubeha: rollout-all-unavailable: Deployment reckless/,
    );
    // The whole reason reaches the client: the headline, the detail, then the rule's page.
    expect(r.body.message).toMatch(
      /rollout-all-unavailable: Deployment reckless [^\n]*\. \S[^\n]* See https:\/\/github\.com\/kubeha\/kubeha\/blob\/main\/docs\/rules\/rollout-all-unavailable\.md$/,
    );
    const gone = await kubeRequest(kc, 'GET', `${DEPLOYMENTS}/reckless`);
    expect(gone.status).toBe(404);
    expect(
      log.some((l) => l.includes(`denied CREATE Deployment ${NS}/reckless: rollout-all-unavailable`)),
    ).toBe(true);
  });

  it('denies a bare Pod (singleton-pod judges the Pod itself), and admits the pods of a Deployment', async () => {
    const r = await kubeRequest(kc, 'POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: NS },
      spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] },
    });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/denied the request: kubeha: singleton-pod: Pod debug has no controller/);
    // The ReplicaSet controller's pods of Deployment solo went through the same webhook.
    await until('the pods of Deployment solo', 60_000, async () => {
      const pods = await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dsolo`);
      return pods.body.items.length > 0 ? true : undefined;
    });
  });

  it('kubectl apply -f dir/ of a correct Deployment with its HPA and PDB, in either file order: no warning, no denial', async () => {
    const first = service('first');
    const last = service('last');
    // kubectl applies a folder's files in name order: the Deployment before its HPA and PDB, and after.
    const deploymentFirst = folder({
      '1-deployment.yaml': first.deployment,
      '2-service.yaml': first.service,
      '3-hpa.yaml': first.hpa,
      '4-pdb.yaml': first.pdb,
    });
    const deploymentLast = folder({
      '1-pdb.yaml': last.pdb,
      '2-hpa.yaml': last.hpa,
      '3-service.yaml': last.service,
      '4-deployment.yaml': last.deployment,
    });
    // One applied client-side, the other server-side: both are common, and record ownership apart.
    const apply = (dir: string) =>
      kubectl(kubeconfig, [
        'apply',
        '-n',
        NS,
        ...(dir === deploymentLast ? ['--server-side'] : []),
        '-f',
        dir,
      ]);
    for (const dir of [deploymentFirst, deploymentLast]) {
      const r = await apply(dir);
      expect(kubehaWarnings(r.stderr)).toEqual([]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    // The HPAs scale both to their minReplicas; applied again (UPDATE, the cache now older than the
    // HPA's write), still nothing: their replicas are the HPA's, not the manifest's.
    for (const name of ['first', 'last'])
      await until(`the HPA to scale ${name}`, 120_000, async () => {
        const { body } = await kubeCall(kc, 'GET', `${DEPLOYMENTS}/${name}`);
        return body.spec.replicas === 3 ? true : undefined;
      });
    for (const dir of [deploymentFirst, deploymentLast]) {
      const r = await apply(dir);
      expect(kubehaWarnings(r.stderr)).toEqual([]);
      expect(r.code).toBe(0);
    }
    expect(log.filter((l) => /denied/.test(l) && /first|last/.test(l))).toEqual([]);
  });

  it('warns about replicas: 3 applied next to an HPA, on the apply that would reset it', async () => {
    const fixed = service('fixed', 3);
    const dir = folder({
      '1-deployment.yaml': fixed.deployment,
      '2-hpa.yaml': fixed.hpa,
      '3-pdb.yaml': fixed.pdb,
    });
    expect((await kubectl(kubeconfig, ['apply', '-n', NS, '-f', dir])).code).toBe(0);
    const again = await kubectl(kubeconfig, ['apply', '-n', NS, '-f', dir]);
    expect(again.code).toBe(0);
    expect(kubehaWarnings(again.stderr)).toEqual([
      expect.stringMatching(
        /^Warning: kubeha warning hpa-replicas-conflict: Deployment fixed sets replicas/,
      ) as unknown,
    ]);
  });

  it('exports the reviews and, from its periodic scan, the namespace findings at /metrics', async () => {
    const text = await until('the scan to see the namespace', 60_000, async () => {
      const t = await fetch(metricsUrl).then((res) => res.text());
      return new RegExp(
        `^kubeha_cluster_findings\\{namespace="${NS}",rule="single-replica",severity="error"\\} 1$`,
        'm',
      ).test(t)
        ? t
        : undefined;
    });
    expect(text).toMatch(
      /^kubeha_admission_reviews_total\{operation="CREATE",kind="Deployment",result="denied"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^kubeha_admission_reviews_total\{operation="CREATE",kind="Pod",result="denied"\} [1-9]/m,
    );
    // The ReplicaSet's pods: owned by a controller, admitted without a look.
    expect(text).toMatch(
      /^kubeha_admission_reviews_total\{operation="CREATE",kind="Pod",result="allowed"\} [1-9]/m,
    );
    expect(text).toMatch(
      new RegExp(
        `^kubeha_cluster_findings\\{namespace="${NS}",rule="missing-liveness-probe",severity="warning"\\} [1-9]`,
        'm',
      ),
    );
    expect(text).toMatch(/^kubeha_scan_last_success_timestamp_seconds \d+/m);
    // Of the four Deployments next to an HPA, only fixed was applied with replicas (first and last
    // were not; scaled was created with replicas: 1, which its HPA has since rewritten). A scan that
    // started before fixed was applied may still be the last one: wait for one that saw it.
    const conflicts = await until('a scan that saw Deployment fixed', 60_000, async () => {
      const t = await fetch(metricsUrl).then((res) => res.text());
      return new RegExp(
        `^kubeha_cluster_findings\\{namespace="${NS}",rule="hpa-replicas-conflict",severity="warning"\\} (\\d+)$`,
        'm',
      ).exec(t)?.[1];
    });
    expect(conflicts).toBe('1');
  });

  it('drains and exits 0 on SIGTERM at once: no review in flight, and a connection left unused closed', async () => {
    // What the API server's webhook client leaves open after a burst: a connection dialed, TLS done,
    // made useless by a freed one before it carried a request. It held the drain for the whole
    // --shutdown-grace (20 s) in some runs before serve closed such connections.
    const { hostname, port } = new URL(admissionUrl);
    const unused = await new Promise<TLSSocket>((resolve, reject) => {
      const socket = tlsConnect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () =>
        resolve(socket),
      );
      socket.on('error', reject);
    });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    const signalled = Date.now();
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    const drainMs = Date.now() - signalled;
    unused.destroy();
    expect(log.some((l) => /SIGTERM: draining/.test(l))).toBe(true);
    expect(drainMs, 'ms from SIGTERM to the exit').toBeLessThan(3000);
  });
});
