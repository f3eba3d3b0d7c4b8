// serve's replicas elect the one that runs the periodic scan with a coordination.k8s.io/v1 Lease on
// the real API server (docs/serve.md, "Leader election"): three serve processes, one scans and the
// Lease names it, all three answer reviews; SIGTERM releases the lease and another replica takes
// over at once; kill -9 releases nothing and another takes over once the lease has expired.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { ApiError, connect } from '../../src/sources/cluster-client.js';
import { clusterLeaseStore, microTime } from '../../src/serve/leader-election.js';
import { ROOT } from '../cli/run.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  createAll,
  dropNamespace,
  freshNamespace,
  serviceAccountKubeconfig,
  until,
  type Obj,
} from './support.js';

const NS = 'kubeha-leader-e2e';
const LEASE = 'kubeha-serve-scan';
const LEASE_PATH = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${LEASE}`;
// Short timings, the same ratios as client-go's 15 s / 10 s / 2 s.
const LEASE_MS = 4000;
const RENEW_MS = 3000;
const RETRY_MS = 500;
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
let certs: ReturnType<typeof makeCerts>;

interface Replica {
  name: string;
  process: ChildProcess;
  log: string[];
  admissionUrl: string;
  metricsUrl: string;
  exited: Promise<number | null>;
}
const replicas: Replica[] = [];

async function startReplica(name: string): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [
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
      '--scan-interval',
      '1s',
      '--leader-elect-lease-duration',
      `${LEASE_MS / 1000}s`,
      '--leader-elect-renew-deadline',
      `${RENEW_MS / 1000}s`,
      '--leader-elect-retry-period',
      `${RETRY_MS}ms`,
    ],
    // The identity and the namespace come from the downward API's variables, as in a pod.
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, POD_NAME: name, POD_NAMESPACE: NS } },
  );
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => log.push(l));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const replica: Replica = { name, process: child, log, admissionUrl: '', metricsUrl: '', exited };
  await until(`${name} to listen`, 30_000, () => {
    const m = log.map((l) => /webhook on (\S+) .*metrics on (\S+),/.exec(l)).find(Boolean);
    if (m) [replica.admissionUrl, replica.metricsUrl] = [m[1]!, m[2]!];
    return Promise.resolve(m ? true : undefined);
  });
  return replica;
}

/** The value of an unlabelled metric, or the number of series of a labelled one. */
async function metric(r: Replica, name: string): Promise<number> {
  const text = await (await fetch(r.metricsUrl)).text();
  const lines = text.split('\n').filter((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  if (lines.some((l) => l.startsWith(name + '{'))) return lines.length;
  return lines.length === 0 ? 0 : Number(lines[0]!.split(' ')[1]);
}

async function lease(): Promise<Obj | undefined> {
  const { status, body } = await kubeCall(kc, 'GET', LEASE_PATH, undefined, undefined, [404]);
  return status === 404 ? undefined : body;
}

/** The replica the lease names, once that replica says it scans (kubeha_leader 1 and a scan done). */
async function scanningLeader(timeoutMs: number, not?: string): Promise<Replica> {
  return until('a scanning leader', timeoutMs, async () => {
    const holder = (await lease())?.spec?.holderIdentity;
    const r = replicas.find((x) => x.name === holder && x.name !== not);
    if (!r) return undefined;
    return (await metric(r, 'kubeha_leader')) === 1 &&
      (await metric(r, 'kubeha_scan_last_success_timestamp_seconds')) > 0
      ? r
      : undefined;
  });
}

/** Waits until the lease names a replica other than `not`; returns when that was seen (ms). */
async function newHolder(not: string): Promise<number> {
  await until('another holder', LEASE_MS + 10_000, async () => {
    const holder = (await lease())?.spec?.holderIdentity;
    return holder && holder !== not ? true : undefined;
  });
  return Date.now();
}

/** Takes a review to one replica directly and returns its answer. */
function review(r: Replica): Promise<Obj> {
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${r.name}`,
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      operation: 'CREATE',
      namespace: NS,
      object: singleton,
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      r.admissionUrl,
      { method: 'POST', ca: certs.ca, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const singleton: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'singleton', namespace: NS },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'singleton' } },
    template: {
      metadata: { labels: { app: 'singleton' } },
      spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] },
    },
  },
};

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  certs = makeCerts();
  // A fresh namespace: the last run's is deleted and gone first (a terminating one refuses objects).
  await freshNamespace(kc, NS);
  await kubeCall(kc, 'DELETE', LEASE_PATH, undefined, undefined, [404]);
  // A workload with findings, so that the leader's scan exports kubeha_cluster_findings series.
  await kubeCall(kc, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, singleton, undefined, [409]);
  for (const name of ['replica-a', 'replica-b', 'replica-c']) replicas.push(await startReplica(name));
});

afterAll(async () => {
  for (const r of replicas) if (r.process.exitCode === null) r.process.kill('SIGKILL');
  await dropNamespace(kc, NS);
});

describe('leader election of the periodic scan', { timeout: 120_000 }, () => {
  let first: Replica;

  it('one replica of three holds the lease and scans; the others do not; all three answer reviews', async () => {
    first = await scanningLeader(30_000);
    // Several scan intervals and many retry periods later, still one leader, and nothing scanned elsewhere.
    await new Promise((r) => setTimeout(r, 3000));
    const l = await lease();
    expect(l.spec.holderIdentity).toBe(first.name);
    expect(l.spec.leaseDurationSeconds).toBe(LEASE_MS / 1000);
    expect(l.spec.leaseTransitions).toBe(0);
    // client-go's MicroTime, renewed within the last retry periods.
    expect(l.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.now() - Date.parse(l.spec.renewTime)).toBeLessThan(LEASE_MS);
    expect(await metric(first, 'kubeha_cluster_findings')).toBeGreaterThan(0);
    for (const r of replicas.filter((x) => x !== first)) {
      expect(await metric(r, 'kubeha_leader'), r.name).toBe(0);
      expect(await metric(r, 'kubeha_scan_last_success_timestamp_seconds'), r.name).toBe(0);
      expect(await metric(r, 'kubeha_cluster_findings'), r.name).toBe(0);
      expect(r.log.join('\n')).toContain(`the lease ${NS}/${LEASE} is held by ${first.name}`);
    }
    const leads = replicas.flatMap((r) => r.log.filter((l) => l.includes(' leads (lease ')));
    expect(leads).toEqual([expect.stringContaining(`${first.name} leads (lease ${NS}/${LEASE}`)]);
    for (const r of replicas) {
      const answer = await review(r);
      expect(answer.response.uid).toBe(`uid-${r.name}`);
      expect(answer.response.allowed).toBe(true);
      expect(answer.response.warnings.join('\n')).toContain('singleton');
    }
  });

  let second: Replica;

  it('SIGTERM: the leader releases the lease and another replica takes over well within the lease duration', async () => {
    const before = await lease();
    const stopped = Date.now();
    first.process.kill('SIGTERM');
    const elapsed = (await newHolder(first.name)) - stopped;
    second = await scanningLeader(LEASE_MS + 10_000, first.name);
    const tookOver = (await lease()).spec;
    expect(await first.exited).toBe(0);
    console.log(`SIGTERM: another replica held the lease ${elapsed} ms later`);
    expect(first.log.join('\n')).toContain(`released the lease ${NS}/${LEASE}`);
    // Released: the next try of a follower wins (a retry period and its jitter), not the lease's expiry.
    expect(elapsed).toBeLessThan(LEASE_MS - RETRY_MS);
    expect(tookOver.holderIdentity).toBe(second.name);
    expect(tookOver.leaseTransitions).toBe(before.spec.leaseTransitions + 1);
    expect(tookOver.acquireTime).not.toBe(before.spec.acquireTime);
    const third = replicas.find((r) => r !== first && r !== second)!;
    expect(await metric(third, 'kubeha_leader')).toBe(0);
  });

  it('kill -9: nothing is released; another replica takes over once the lease has expired', async () => {
    const before = await lease();
    const killed = Date.now();
    second.process.kill('SIGKILL');
    const elapsed = (await newHolder(second.name)) - killed;
    const third = await scanningLeader(LEASE_MS + 10_000, second.name);
    const tookOver = (await lease()).spec;
    console.log(`kill -9: another replica held the lease ${elapsed} ms later`);
    // Not before the lease expired (the last renewal was at most a retry period before the kill)…
    expect(elapsed).toBeGreaterThanOrEqual(LEASE_MS - RETRY_MS - 250);
    // …and within the lease duration of it, plus twice the followers' jittered retry period (a follower
    // sees the last renewal up to one try late, and tries again up to one after it expired), and a poll.
    expect(elapsed).toBeLessThan(LEASE_MS + 2 * RETRY_MS * (1 + 1.2) + 750);
    expect(tookOver.holderIdentity).toBe(third.name);
    expect(tookOver.leaseTransitions).toBe(before.spec.leaseTransitions + 1);
  });
});

describe('the Lease store against the API server', () => {
  it('creates once, and refuses a write over a resourceVersion that moved on (409)', async () => {
    const client = await connect({ kubeconfig });
    const store = clusterLeaseStore(client, NS, 'kubeha-store-e2e');
    const at = microTime(Date.now());
    const spec = {
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      acquireTime: at,
      renewTime: at,
      leaseTransitions: 0,
    };
    await kubeCall(
      kc,
      'DELETE',
      `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/kubeha-store-e2e`,
      undefined,
      undefined,
      [404],
    );
    expect(await store.get()).toBeUndefined();
    const created = await store.create(spec);
    expect(created.spec).toEqual(spec);
    await expect(store.create(spec)).rejects.toMatchObject({ status: 409 });
    const renewed = await store.update(
      { ...spec, renewTime: microTime(Date.now() + 1) },
      created.resourceVersion,
    );
    expect(renewed.resourceVersion).not.toBe(created.resourceVersion);
    // A candidate that read the lease before the renewal cannot take it over.
    const stale = store.update(
      { ...spec, holderIdentity: 'y', leaseTransitions: 1 },
      created.resourceVersion,
    );
    await expect(stale).rejects.toBeInstanceOf(ApiError);
    await expect(stale).rejects.toMatchObject({ status: 409 });
    expect((await store.get())!.spec.holderIdentity).toBe('x');
  });
});

describe('deploy/lease-rbac.yaml on the API server', () => {
  it("grants serve's service account its Lease in its namespace, and no other", async () => {
    // The file's Role and RoleBinding, in this test's namespace instead of kubeha.
    const text = readFileSync(join(ROOT, 'deploy', 'lease-rbac.yaml'), 'utf8').replaceAll(
      'namespace: kubeha',
      `namespace: ${NS}`,
    );
    await createAll(kc, text);
    await kubeCall(
      kc,
      'POST',
      `/api/v1/namespaces/${NS}/serviceaccounts`,
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'kubeha-serve', namespace: NS },
      },
      undefined,
      [409],
    );
    const client = await connect({ kubeconfig: await serviceAccountKubeconfig(kc, NS, 'kubeha-serve') });
    const ours = clusterLeaseStore(client, NS, LEASE);
    await until('the RoleBinding to take effect', 10_000, () => ours.get().catch(() => undefined));
    // patch: the renewal's request (the record unchanged, so no replica's clock restarts). A replica of
    // the tests above may still renew the lease in between: a 409 Conflict is read again, not a failure.
    const { held, renewed } = await until('a renewal without a conflict', 10_000, async () => {
      const held = await ours.get();
      if (!held) return undefined;
      try {
        return { held, renewed: await ours.update(held.spec, held.resourceVersion) };
      } catch (e) {
        if ((e as { status?: number }).status === 409) return undefined;
        throw e;
      }
    });
    expect(renewed.spec).toEqual(held.spec);
    // create is granted (Already Exists, not Forbidden: authorization comes first).
    await expect(ours.create(held.spec)).rejects.toMatchObject({ status: 409 });
    await expect(clusterLeaseStore(client, NS, 'another-lease').get()).rejects.toMatchObject({ status: 403 });
    await expect(clusterLeaseStore(client, 'default', LEASE).get()).rejects.toMatchObject({ status: 403 });
  });
});
