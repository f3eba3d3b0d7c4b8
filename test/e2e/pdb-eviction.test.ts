// What the PDB rules (docs/rules/pdb-*.md) claim about evictions, asked of the real API server's
// Eviction API during a real drain (the node cordoned, then each pod evicted), each claim beside
// kubeha's verdict on the same manifests: a budget with neither field, one replica under
// maxUnavailable: 1 and under minAvailable: 1, and pods made not Ready under an exhausted budget with
// unhealthyPodEvictionPolicy unset and then AlwaysAllow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { run } from '../cli/run.js';
import {
  e2eKubeconfig,
  createAll,
  dropNamespace,
  freshNamespace,
  isPodReady,
  kwokNode,
  schedulableNodes,
  until,
  type Obj,
} from './support.js';

const OWNER = 'pdb-eviction';
const NS = 'kubeha-e2e-pdb-eviction';
const NODE = 'pdbev-1';
const PDB_RULES = [
  'pdb-blocks-eviction',
  'pdb-allows-all-evictions',
  'pdb-unhealthy-policy-unset',
  'pdb-unhealthy-pods-block-eviction',
];

/** A Deployment on this file's node and its PDB, as one would commit them. */
function manifests(app: string, replicas: number, budget: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}, namespace: ${NS} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers: [{ name: app, image: nginx:1.27 }]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${app}, namespace: ${NS} }
spec:
  ${budget}
  selector: { matchLabels: { app: ${app} } }
`;
}

const CASES = {
  noBudget: manifests('no-budget', 2, '# neither minAvailable nor maxUnavailable'),
  soloMax: manifests('solo-max', 1, 'maxUnavailable: 1'),
  soloMin: manifests('solo-min', 1, 'minAvailable: 1'),
  unready: manifests('unready', 2, 'maxUnavailable: 1'),
  soloUnready: manifests('solo-unready', 1, 'maxUnavailable: 1'),
};

interface Finding {
  rule: string;
  message: string;
  detail: string;
  object?: { kind: string; name: string };
}

const dir = mkdtempSync(join(tmpdir(), 'kubeha-e2e-pdb-'));

/** kubeha check's PDB findings on one case's manifests, as the CLI prints them in JSON. */
async function verdict(text: string): Promise<Finding[]> {
  const file = join(dir, 'case.yaml');
  writeFileSync(file, text);
  const r = await run(['check', file, '-o', 'json', '--fail-on', 'none']);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => PDB_RULES.includes(f.rule));
}

const rulesOf = (findings: Finding[]): string[] => findings.map((f) => f.rule).sort();

/** What the Eviction API answers for one pod: the status code, and the reason it gives when it refuses. */
async function evict(kc: Kubeconfig, pod: string): Promise<{ status: number; message: string }> {
  const { status, body } = await kubeRequest(kc, 'POST', `/api/v1/namespaces/${NS}/pods/${pod}/eviction`, {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod, namespace: NS },
  });
  const causes = ((body?.details?.causes ?? []) as Obj[]).map((c) => String(c.message));
  return { status, message: [String(body?.message ?? ''), ...causes].join(' ') };
}

async function podsOf(kc: Kubeconfig, app: string): Promise<Obj[]> {
  const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`);
  return body.items as Obj[];
}

/** The PDBs kubeha scan reports as blocking the eviction of their pods that are not Ready. */
async function scanWarned(): Promise<string[]> {
  const r = await run([
    'scan',
    '--kubeconfig',
    kubeconfigPath(),
    '-n',
    NS,
    '-o',
    'json',
    '--fail-on',
    'none',
  ]);
  const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  return findings
    .filter((f) => f.rule === 'pdb-unhealthy-pods-block-eviction')
    .map((f) => f.object?.name ?? '')
    .sort();
}

const live = (p: Obj): boolean => p.metadata.deletionTimestamp === undefined;

/** The PDB's status once the disruption controller has judged its current spec and pods. */
async function settledPdb(kc: Kubeconfig, name: string, ready: (s: Obj) => boolean): Promise<Obj> {
  return until(`PDB ${name}'s status`, 60_000, async () => {
    const { body } = await kubeCall(
      kc,
      'GET',
      `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/${name}`,
    );
    const s = body.status ?? {};
    return s.observedGeneration === body.metadata.generation && ready(s) ? body : undefined;
  });
}

/** Makes a Running pod not Ready as a failing readiness probe would: its kubelet (kwok) leaves it so. */
async function makeNotReady(kc: Kubeconfig, pod: string): Promise<void> {
  await kubeCall(
    kc,
    'PATCH',
    `/api/v1/namespaces/${NS}/pods/${pod}/status`,
    {
      status: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'ReadinessProbeFailed' },
          { type: 'ContainersReady', status: 'False', reason: 'ReadinessProbeFailed' },
        ],
      },
    },
    'application/strategic-merge-patch+json',
  );
}

describe('the Eviction API during a drain, beside the PDB rules', () => {
  let kc: Kubeconfig;

  beforeAll(async () => {
    kc = e2eKubeconfig().kc;
    await schedulableNodes(kc, [kwokNode(NODE, 'pdbev-a', OWNER)]);
    await freshNamespace(kc, NS);
    for (const text of Object.values(CASES)) await createAll(kc, text);
    await until('every pod Running and Ready', 120_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods`);
      return (body.items as Obj[]).filter(isPodReady).length === 7 ? true : undefined;
    });
    // A drain cordons the node first: an evicted pod's replacement then has nowhere to go.
    await kubeCall(
      kc,
      'PATCH',
      `/api/v1/nodes/${NODE}`,
      { spec: { unschedulable: true } },
      'application/merge-patch+json',
    );
  }, 240_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!kc) return;
    await dropNamespace(kc, NS);
    await deleteNodes(kc, [NODE]).catch(() => undefined);
  }, 60_000);

  it('(a) a PDB with neither minAvailable nor maxUnavailable: 0 expected pods, 0 disruptions, eviction refused', async () => {
    const findings = await verdict(CASES.noBudget);
    expect(rulesOf(findings)).toEqual(['pdb-blocks-eviction', 'pdb-unhealthy-policy-unset']);
    const blocks = findings.find((f) => f.rule === 'pdb-blocks-eviction')!;
    expect(blocks.message).toMatch(/sets neither minAvailable nor maxUnavailable/);

    const pdb = await settledPdb(kc, 'no-budget', (s) => s.currentHealthy === 2);
    const condition = (pdb.status.conditions as Obj[]).find((c) => c.type === 'DisruptionAllowed');
    console.log('(a) status', JSON.stringify(pdb.status));
    const [pod] = (await podsOf(kc, 'no-budget')).filter(isPodReady);
    const answer = await evict(kc, pod.metadata.name);
    console.log('(a) eviction', JSON.stringify(answer));
    // What pdb-blocks-eviction's detail says: the controller expects no pods and allows none.
    expect(pdb.status.expectedPods).toBe(0);
    expect(pdb.status.desiredHealthy).toBe(0);
    expect(pdb.status.disruptionsAllowed).toBe(0);
    expect(condition).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    expect(blocks.detail).toContain('condition DisruptionAllowed False, reason InsufficientPods');
    expect(answer.status).toBe(429);
    expect((await podsOf(kc, 'no-budget')).filter((p) => live(p) && isPodReady(p))).toHaveLength(2);
  }, 120_000);

  it('(b) one replica under maxUnavailable: 1: the eviction is allowed and the workload has 0 ready pods', async () => {
    expect(rulesOf(await verdict(CASES.soloMax))).toEqual([
      'pdb-allows-all-evictions',
      'pdb-unhealthy-policy-unset',
    ]);
    const pdb = await settledPdb(kc, 'solo-max', (s) => s.currentHealthy === 1);
    expect(pdb.status.disruptionsAllowed).toBe(1);
    const [pod] = await podsOf(kc, 'solo-max');
    const answer = await evict(kc, pod.metadata.name);
    console.log('(b) eviction', JSON.stringify(answer));
    expect(answer.status).toBe(201);
    const deployment = await until('the Deployment to count its evicted pod', 60_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/solo-max`);
      return (body.status.readyReplicas ?? 0) === 0 ? body : undefined;
    });
    expect(deployment.status.availableReplicas ?? 0).toBe(0);
    // Its replacement waits on the cordoned node: nothing serves until the drain is over.
    const pods = await podsOf(kc, 'solo-max');
    expect(pods.filter((p) => live(p) && isPodReady(p))).toEqual([]);
  }, 120_000);

  it('(c) one replica under minAvailable: 1: the eviction is refused (429) and the drain waits', async () => {
    expect(rulesOf(await verdict(CASES.soloMin))).toEqual([
      'pdb-blocks-eviction',
      'pdb-unhealthy-policy-unset',
    ]);
    await settledPdb(kc, 'solo-min', (s) => s.currentHealthy === 1);
    const [pod] = await podsOf(kc, 'solo-min');
    const answer = await evict(kc, pod.metadata.name);
    console.log('(c) eviction', JSON.stringify(answer));
    expect(answer.status).toBe(429);
    expect(answer.message).toContain(
      'The disruption budget solo-min needs 1 healthy pods and has 1 currently',
    );
    const [still] = await podsOf(kc, 'solo-min');
    expect(still.metadata.name).toBe(pod.metadata.name);
    expect(live(still) && isPodReady(still)).toBe(true);
  }, 120_000);

  it('(d) pods not Ready under an exhausted budget: refused with the policy unset, evicted with AlwaysAllow', async () => {
    for (const p of await podsOf(kc, 'unready')) await makeNotReady(kc, p.metadata.name);
    const pdb = await settledPdb(kc, 'unready', (s) => s.currentHealthy === 0 && s.expectedPods === 2);
    expect(pdb.status).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 0 });
    const pods = await podsOf(kc, 'unready');
    expect(pods.every((p) => p.status.phase === 'Running' && !isPodReady(p))).toBe(true);

    // kubeha: the static hint on the manifests, and scan's warning on the live budget.
    const unset = await verdict(CASES.unready);
    expect(rulesOf(unset)).toEqual(['pdb-unhealthy-policy-unset']);
    expect(await scanWarned()).toEqual(['unready']);

    const refused = await evict(kc, pods[0].metadata.name);
    console.log('(d) eviction, policy unset', JSON.stringify(refused));
    expect(refused.status).toBe(429);

    const allowed = CASES.unready.replace(
      'maxUnavailable: 1',
      'maxUnavailable: 1\n  unhealthyPodEvictionPolicy: AlwaysAllow',
    );
    expect(await verdict(allowed)).toEqual([]);
    await kubeCall(
      kc,
      'PATCH',
      `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/unready`,
      { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
      'application/merge-patch+json',
    );
    await settledPdb(kc, 'unready', (s) => s.currentHealthy === 0);
    const answer = await evict(kc, pods[0].metadata.name);
    console.log('(d) eviction, AlwaysAllow', JSON.stringify(answer));
    expect(answer.status).toBe(201);
  }, 180_000);

  it('(e) the one replica under maxUnavailable: 1, once not Ready, is refused with the policy unset', async () => {
    // IfHealthyBudget evicts a pod that is not Ready only while desiredHealthy > 0; maxUnavailable: 1
    // of 1 wants 0, so the eviction falls to the budget, which counts 0 healthy pods: 0 disruptions.
    const [pod] = await podsOf(kc, 'solo-unready');
    await makeNotReady(kc, pod.metadata.name);
    const pdb = await settledPdb(kc, 'solo-unready', (s) => s.currentHealthy === 0 && s.expectedPods === 1);
    expect(pdb.status).toMatchObject({ desiredHealthy: 0, disruptionsAllowed: 0 });
    const answer = await evict(kc, pod.metadata.name);
    console.log('(e) eviction', JSON.stringify(answer));
    expect(answer.status).toBe(429);
    expect(answer.message).toContain(
      'The disruption budget solo-unready needs 0 healthy pods and has 0 currently',
    );
    expect(rulesOf(await verdict(CASES.soloUnready))).toEqual([
      'pdb-allows-all-evictions',
      'pdb-unhealthy-policy-unset',
    ]);
    // scan warns of this budget too (unready's is AlwaysAllow by now).
    expect(await scanWarned()).toEqual(['solo-unready']);
  }, 120_000);
});
