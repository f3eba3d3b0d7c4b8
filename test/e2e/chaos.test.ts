// kubeha chaos on the real control plane: a zone really lost (its nodes cordoned, their pods deleted at
// once) and a node really drained through the Eviction API; the ReplicaSet controller, the scheduler
// and kwok's kubelet do the rest, and chaos measures each workload's ready replicas as they do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import {
  applyNodes,
  deleteNodes,
  kubeconfigPath,
  waitNodesReady,
  type KwokNode,
} from '../../tools/cluster/nodes.mjs';
import { ROOT, run } from '../cli/run.js';
import { createAll, serviceAccountKubeconfig, until, waitPodsReady, type Obj } from './support.js';

const NS = 'kubeha-chaos-e2e';
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
const NODES = ['chaos-a-1', 'chaos-a-2', 'chaos-b-1', 'chaos-c-1'];

function node(name: string): KwokNode {
  const zone = `chaos-${name.split('-')[1]!}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': name, 'kubeha-e2e': 'chaos' },
      annotations: {},
    },
    spec: {},
    status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
  };
}

// Spread over the three zones with a PDB: a zone's loss leaves 2 of 3, the floor.
const spread = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: spread }
spec:
  replicas: 3
  selector: { matchLabels: { app: spread } }
  template:
    metadata: { labels: { app: spread } }
    spec:
      nodeSelector: { kubeha-e2e: chaos }
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: spread } } }
      containers: [{ name: app, image: nginx:1.27 }]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: spread }
spec:
  maxUnavailable: 1
  selector: { matchLabels: { app: spread } }
---
# Two replicas pinned to zone a: its loss takes both until the zone comes back.
apiVersion: apps/v1
kind: Deployment
metadata: { name: pinned }
spec:
  replicas: 2
  selector: { matchLabels: { app: pinned } }
  template:
    metadata: { labels: { app: pinned } }
    spec:
      nodeSelector: { topology.kubernetes.io/zone: chaos-a }
      containers: [{ name: app, image: nginx:1.27 }]
`;

interface Result {
  executed: boolean;
  workloads: {
    id: string;
    verdict: string;
    minReady: number;
    floor: number;
    recoveredAfter?: number;
    blocked?: string;
  }[];
  pods: { name: string; node: string }[];
  steps: { step: string }[];
}

async function chaos(args: string[]): Promise<{ code: number; result: Result; stderr: string }> {
  const r = await run(['chaos', ...args, '--kubeconfig', kubeconfig, '-n', NS, '-o', 'json']);
  return { code: r.code, result: JSON.parse(r.stdout || '{}') as Result, stderr: r.stderr };
}

const nodeSpec = async (name: string): Promise<Obj> =>
  (await kubeCall(kc, 'GET', `/api/v1/nodes/${name}`)).body.spec;

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  await applyNodes(kc, NODES.map(node));
  await waitNodesReady(kc, NODES);
  // The node lifecycle controller lifts the not-ready taints a moment after Ready: spread by then.
  await until('the new nodes to lose their not-ready taints', 60_000, async () => {
    const specs = await Promise.all(NODES.map(nodeSpec));
    return specs.every((s) => !(s.taints ?? []).length) ? true : undefined;
  });
  // A namespace left by an earlier run is deleted first (deletion finishes asynchronously).
  await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${NS}`, undefined, undefined, [404]);
  await until('the old namespace to go', 120_000, async () =>
    (await kubeRequest(kc, 'GET', `/api/v1/namespaces/${NS}`)).status === 404 ? true : undefined,
  );
  await kubeCall(kc, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  await createAll(kc, spread, NS);
  await waitPodsReady(kc, NS, 5);
});

afterAll(async () => {
  await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${NS}`, undefined, undefined, [404]).catch(
    () => undefined,
  );
  await deleteNodes(kc, NODES).catch(() => undefined);
});

describe('kubeha chaos on a real control plane', () => {
  it('without --yes only says what it would do, and changes nothing', async () => {
    const { code, result } = await chaos(['zone-loss', 'chaos-a']);
    expect(code).toBe(0);
    expect(result.executed).toBe(false);
    expect(result.pods.length).toBe(3); // 1 of spread, 2 of pinned
    expect((await nodeSpec('chaos-a-1')).unschedulable).toBeUndefined();
    expect((await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods`)).body.items.length).toBe(5);
  });

  it('loses zone a: the spread Deployment keeps its floor, the pinned one goes down until the zone is back', async () => {
    const { code, result } = await chaos([
      'zone-loss',
      'chaos-a',
      '--yes',
      '--hold',
      '3s',
      '--interval',
      '250ms',
      '--timeout',
      '90s',
    ]);
    const byId = Object.fromEntries(result.workloads.map((w) => [w.id, w]));
    expect(byId[`${NS}/Deployment/spread`]).toMatchObject({ verdict: 'ok', floor: 2 });
    expect(byId[`${NS}/Deployment/spread`]!.minReady).toBeGreaterThanOrEqual(2);
    expect(byId[`${NS}/Deployment/pinned`]).toMatchObject({ verdict: 'outage', minReady: 0 });
    // Both came back: the pinned one once its zone did.
    expect(byId[`${NS}/Deployment/pinned`]!.recoveredAfter).toBeGreaterThanOrEqual(3);
    expect(result.steps.map((s) => s.step).at(-1)).toBe('every workload is back to its replicas');
    expect(code).toBe(1); // --fail-on outage
    // The nodes it cordoned are given back.
    // (unschedulable: false is not stored: the field is gone.)
    for (const n of ['chaos-a-1', 'chaos-a-2']) expect((await nodeSpec(n)).unschedulable).toBeFalsy();
  });

  it("drains a node through the PDBs: the spread Deployment's eviction waits its turn, nothing drops below the floor", async () => {
    await waitPodsReady(kc, NS, 5);
    const pods = (await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dspread`)).body
      .items as Obj[];
    const target = pods[0].spec.nodeName as string;
    const { result } = await chaos([
      'drain',
      target,
      '--yes',
      '--hold',
      '1s',
      '--interval',
      '250ms',
      '--timeout',
      '90s',
    ]);
    const spreadResult = result.workloads.find((w) => w.id === `${NS}/Deployment/spread`)!;
    expect(spreadResult.verdict).toBe('ok');
    expect(spreadResult.minReady).toBeGreaterThanOrEqual(2);
    expect(result.steps.some((s) => /^evicted \d+ pods? through their PDBs$/.test(s.step))).toBe(true);
    expect((await nodeSpec(target)).unschedulable).toBeFalsy();
  });

  it("runs under deploy/chaos-rbac.yaml's ServiceAccount: the reads of deploy/rbac.yaml and three writes", async () => {
    await createAll(kc, readFileSync(join(ROOT, 'deploy/rbac.yaml'), 'utf8'));
    await createAll(kc, readFileSync(join(ROOT, 'deploy/chaos-rbac.yaml'), 'utf8'));
    const asChaos = await serviceAccountKubeconfig(kc, 'kubeha', 'kubeha-chaos');
    await waitPodsReady(kc, NS, 5);
    const pods = (await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dspread`)).body
      .items as Obj[];
    const target = pods[0].spec.nodeName as string;
    const r = await run([
      'chaos',
      'node-loss',
      target,
      '--yes',
      '--hold',
      '1s',
      '--interval',
      '250ms',
      '--timeout',
      '90s',
      '--kubeconfig',
      asChaos,
      '-n',
      NS,
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as Result;
    expect(result.executed).toBe(true);
    expect(result.workloads.find((w) => w.id === `${NS}/Deployment/spread`)?.verdict).toBe('ok');
    expect((await nodeSpec(target)).unschedulable).toBeFalsy();
  });

  it('gives the nodes back when the experiment fails half-way (no right to delete pods)', async () => {
    await createAll(
      kc,
      `
apiVersion: v1
kind: ServiceAccount
metadata: { name: kubeha-cordon-only, namespace: kubeha }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kubeha-cordon-only }
rules: [{ apiGroups: [''], resources: [nodes], verbs: [patch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeha-cordon-only }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeha-cordon-only }
subjects: [{ kind: ServiceAccount, name: kubeha-cordon-only, namespace: kubeha }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeha-cordon-only-read }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeha-scan }
subjects: [{ kind: ServiceAccount, name: kubeha-cordon-only, namespace: kubeha }]
`,
    );
    const cordonOnly = await serviceAccountKubeconfig(kc, 'kubeha', 'kubeha-cordon-only');
    await waitPodsReady(kc, NS, 5);
    const r = await run([
      'chaos',
      'zone-loss',
      'chaos-a',
      '--yes',
      '--hold',
      '1s',
      '--kubeconfig',
      cordonOnly,
      '-n',
      NS,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^kubeha: the experiment stopped \(the nodes were given back\): pods "[^"]+" is forbidden/,
    );
    for (const n of ['chaos-a-1', 'chaos-a-2']) expect((await nodeSpec(n)).unschedulable).toBeFalsy();
  });

  it('refuses an unknown node or zone with one line, naming the ones there are', async () => {
    const r = await run(['chaos', 'node-loss', 'nowhere', '--kubeconfig', kubeconfig, '-n', NS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubeha: no node "nowhere" \(/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
