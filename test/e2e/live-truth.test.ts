// A cluster built only of correct workloads (test/e2e/correct-workloads.ts), applied the two common
// ways (client-side and server-side kubectl apply), scaled by their HPAs, then applied again: kubeha
// scan must report no warning or error that a person would call false. The only ones left are true
// of this test cluster: it has no metrics server, so no HPA can read cpu.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { run } from '../cli/run.js';
import { batch, database, kubectl, manualStorage, nodeAgent, service } from './correct-workloads.js';
import { kwokNode, type Obj, schedulableNodes, until, waitPodsReady } from './support.js';

const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
const id = Date.now().toString(36);
const NS = `truth-${id}`;
const CONFLICT_NS = `truth-conflict-${id}`;
const STORAGE = `kubeha-truth-${id}`;
const NODES: KwokNode[] = ['a', 'b', 'c'].flatMap((z) =>
  [1, 2].map((i) => kwokNode(`truth-${z}${i}`, `zone-${z}`, undefined)),
);
const dirs: string[] = [];

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  detail: string;
  object?: { kind: string; namespace: string; name: string };
}

async function scan(namespace: string): Promise<JsonFinding[]> {
  const r = await run([
    'scan',
    '--kubeconfig',
    kubeconfig,
    '-n',
    namespace,
    '-o',
    'json',
    '--fail-on',
    'none',
  ]);
  expect(r.stderr).not.toMatch(/warning:/);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

/** A folder of one manifest per file, as a repository keeps them. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-truth-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function apply(namespace: string, dir: string, serverSide: boolean): Promise<void> {
  const r = await kubectl(kubeconfig, [
    'apply',
    '-n',
    namespace,
    ...(serverSide ? ['--server-side'] : []),
    '-f',
    dir,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** Waits until the HPA controller has written minReplicas (3) into each Deployment. */
async function scaledByHpa(namespace: string, names: string[]): Promise<void> {
  for (const name of names)
    await until(`the HPA to scale ${namespace}/${name}`, 120_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
      return (body as Obj).spec.replicas === 3 ? true : undefined;
    });
}

const web = service('web');
const api = service('api');
const fixed = service('fixed', 3);
let csaDir = '';
let ssaDir = '';
let conflictDir = '';

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  await schedulableNodes(kc, NODES);
  for (const ns of [NS, CONFLICT_NS])
    await kubeCall(kc, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
  const storage = await kubectl(kubeconfig, [
    'apply',
    '-f',
    folder({ 'storage.yaml': manualStorage(STORAGE, 3) }),
  ]);
  expect(storage.code).toBe(0);
  csaDir = folder({
    'web-deployment.yaml': web.deployment,
    'web-service.yaml': web.service,
    'web-hpa.yaml': web.hpa,
    'web-pdb.yaml': web.pdb,
    'db.yaml': database('db', STORAGE),
  });
  ssaDir = folder({
    'api-deployment.yaml': api.deployment,
    'api-service.yaml': api.service,
    'api-hpa.yaml': api.hpa,
    'api-pdb.yaml': api.pdb,
    'log-agent.yaml': nodeAgent('log-agent'),
    'batch.yaml': batch('billing'),
  });
  conflictDir = folder({ 'deployment.yaml': fixed.deployment, 'hpa.yaml': fixed.hpa, 'pdb.yaml': fixed.pdb });
  await apply(NS, csaDir, false);
  await apply(NS, ssaDir, true);
  await apply(CONFLICT_NS, conflictDir, false);
  // web 3, api 3, db 3 (its claims bound to the manual volumes), log-agent one per node.
  await waitPodsReady(kc, NS, 9 + NODES.length);
  await scaledByHpa(NS, ['web', 'api']);
  // Applied again, as a pipeline does on every commit: the HPA's count stays.
  await apply(NS, csaDir, false);
  await apply(NS, ssaDir, true);
  await apply(CONFLICT_NS, conflictDir, false);
}, 300_000);

afterAll(async () => {
  for (const ns of [NS, CONFLICT_NS]) await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
  await kubectl(kubeconfig, [
    'delete',
    '--wait=false',
    '-f',
    folder({ 's.yaml': manualStorage(STORAGE, 3) }),
  ]);
  await deleteNodes(
    kc,
    NODES.map((n) => n.metadata.name),
  );
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What this cluster's missing metrics server makes true of every HPA that scales on cpu. */
const noMetricsServer = (f: JsonFinding): boolean =>
  f.rule === 'metrics-server-missing' ||
  f.rule === 'metrics-api-unavailable' ||
  (f.rule === 'hpa-not-scaling' && /FailedGetResourceMetric/.test(f.message));

describe('kubeha scan of a namespace of correct workloads', () => {
  it('the HPAs own the replica count: client-side and server-side applies left it to them', async () => {
    for (const name of ['web', 'api']) {
      const r = await kubectl(kubeconfig, [
        'get',
        'deployment',
        name,
        '-n',
        NS,
        '-o',
        'json',
        '--show-managed-fields',
      ]);
      const d = JSON.parse(r.stdout) as Obj;
      expect(d.spec.replicas).toBe(3);
      const owners = (d.metadata.managedFields as Obj[])
        .filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined)
        .map((m) => `${m.manager}${m.subresource ? `/${m.subresource}` : ''}`);
      // Client-side: the HPA's scale write took the field. Server-side: the apply never owned it.
      expect(owners).toEqual(name === 'web' ? ['kube-controller-manager/scale'] : []);
    }
  });

  it('reports no warning or error but what the missing metrics server makes true', async () => {
    const findings = await scan(NS);
    const serious = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    expect(
      serious.filter((f) => !noMetricsServer(f)).map((f) => `${f.rule} ${f.object?.name}: ${f.message}`),
    ).toEqual([]);
    // Those are there, and about the HPAs, the only objects that read metrics (hpa-not-scaling comes
    // once the HPA controller has set ScalingActive, which may be later than this scan).
    expect(
      serious
        .filter((f) => f.object?.namespace === NS && f.rule !== 'hpa-not-scaling')
        .map((f) => `${f.rule} ${f.object?.kind}/${f.object?.name}`)
        .sort(),
    ).toEqual([
      'metrics-api-unavailable HorizontalPodAutoscaler/api',
      'metrics-api-unavailable HorizontalPodAutoscaler/web',
    ]);
  });

  it('a Deployment applied with replicas: 3 next to its HPA is still reported', async () => {
    const findings = await scan(CONFLICT_NS);
    const conflicts = findings.filter((f) => f.rule === 'hpa-replicas-conflict');
    expect(conflicts.map((f) => f.message)).toEqual(['Deployment fixed sets replicas; HPA fixed scales it']);
    expect(conflicts[0]!.detail).toMatch(/^It sets replicas: 3, so every kubectl apply/);
  });
});
