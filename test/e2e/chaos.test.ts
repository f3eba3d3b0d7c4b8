// kubeha chaos on the real control plane: a zone really lost (its nodes cordoned, their pods deleted at
// once) and a node really drained through the Eviction API; the ReplicaSet controller, the scheduler
// and kwok's kubelet do the rest, and chaos measures each workload's ready replicas as they do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { ROOT, run } from '../cli/run.js';
import {
  createAll,
  dropNamespace,
  freshNamespace,
  kwokNode,
  type Obj,
  schedulableNodes,
  serviceAccountKubeconfig,
  until,
  waitPodsReady,
} from './support.js';

const NS = 'kubeha-chaos-e2e';
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
const NODES = ['chaos-a-1', 'chaos-a-2', 'chaos-b-1', 'chaos-c-1'];

const node = (name: string): KwokNode => kwokNode(name, `chaos-${name.split('-')[1]!}`, 'chaos');

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
    readyBefore: number;
    minReady: number;
    floor: number;
    secondsDown: number;
    recoveredAfter?: number;
    notWaited?: string;
    blocked?: string;
    spreadLost: { topology: string; domain: string; before: number; after: number; replicas: number }[];
  }[];
  pods: { name: string; node: string; workload: string }[];
  steps: { seconds: number; step: string }[];
  seconds: number;
}

async function chaos(args: string[], ns = NS): Promise<{ code: number; result: Result; stderr: string }> {
  const r = await run(['chaos', ...args, '--kubeconfig', kubeconfig, '-n', ns, '-o', 'json']);
  return { code: r.code, result: JSON.parse(r.stdout || '{}') as Result, stderr: r.stderr };
}

/** A namespace of its own for one test's workloads (chaos touches one namespace's pods). */
async function namespaceWith(name: string, yaml: string, readyPods: number): Promise<Obj[]> {
  await freshNamespace(kc, name);
  await createAll(kc, yaml, name);
  return waitPodsReady(kc, name, readyPods);
}

const nodeSpec = async (name: string): Promise<Obj> =>
  (await kubeCall(kc, 'GET', `/api/v1/nodes/${name}`)).body.spec;

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  await schedulableNodes(kc, NODES.map(node));
  await freshNamespace(kc, NS);
  await createAll(kc, spread, NS);
  await waitPodsReady(kc, NS, 5);
});

afterAll(async () => {
  await Promise.all([NS, `${NS}-single`, `${NS}-degraded`, `${NS}-pair`].map((n) => dropNamespace(kc, n)));
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
      '--timeout',
      '90s',
    ]);
    const byId = Object.fromEntries(result.workloads.map((w) => [w.id, w]));
    expect(byId[`${NS}/Deployment/spread`]).toMatchObject({ verdict: 'ok', floor: 2 });
    expect(byId[`${NS}/Deployment/spread`]!.minReady).toBeGreaterThanOrEqual(2);
    expect(byId[`${NS}/Deployment/pinned`]).toMatchObject({ verdict: 'outage', minReady: 0 });
    // The spread that did not come back is the cluster's: zone a holds none of spread's replicas now
    // when its replacement was placed while the zone was lost (the node lifecycle controller had
    // tainted the cordoned nodes), else it went back there once the zone was.
    const spreadZones = new Set(
      (
        (await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dspread`)).body
          .items as Obj[]
      )
        .filter((p) => !p.metadata.deletionTimestamp)
        .map((p) => `chaos-${String(p.spec.nodeName).split('-')[1]}`),
    );
    expect(byId[`${NS}/Deployment/spread`]!.spreadLost.filter((l) => l.topology === 'zone').length > 0).toBe(
      spreadZones.size < 3,
    );
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
    const { result } = await chaos(['drain', target, '--yes', '--hold', '1s', '--timeout', '90s']);
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
    // Earlier experiments may have left two of its replicas on that node (pods do not move back):
    // losing it then leaves one, below the floor of 2, for as long as the replacements take.
    const lost = result.pods.filter((p) => p.workload === `${NS}/Deployment/spread`).length;
    const spreadResult = result.workloads.find((w) => w.id === `${NS}/Deployment/spread`)!;
    expect(spreadResult.minReady, JSON.stringify(result)).toBe(3 - lost);
    expect(spreadResult.verdict).toBe(lost === 1 ? 'ok' : 'degraded');
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
    const args = [
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
    ];
    // Without the right to watch, it does not start: nothing is cordoned. (The watch right an
    // earlier run of this test granted is taken back first.)
    await kubeCall(
      kc,
      'DELETE',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kubeha-cordon-only-watch',
      undefined,
      undefined,
      [404],
    );
    const refused = await until('the watch right to be taken back', 30_000, async () => {
      const attempt = await run(args);
      return /did not start/.test(attempt.stderr) ? attempt : undefined;
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^kubeha: the experiment did not start \(nothing was changed\): [a-z.]+ is forbidden: .* cannot watch/,
    );
    for (const n of ['chaos-a-1', 'chaos-a-2']) expect((await nodeSpec(n)).unschedulable).toBeFalsy();
    // With it, it cordons, cannot delete, and gives the nodes back.
    await createAll(
      kc,
      `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kubeha-cordon-only-watch }
rules:
  - { apiGroups: [''], resources: [pods], verbs: [watch] }
  - { apiGroups: [apps], resources: [deployments, statefulsets, replicasets], verbs: [watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeha-cordon-only-watch }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeha-cordon-only-watch }
subjects: [{ kind: ServiceAccount, name: kubeha-cordon-only, namespace: kubeha }]
`,
    );
    const r = await until('the watch right to be granted', 30_000, async () => {
      const attempt = await run(args);
      return /did not start/.test(attempt.stderr) ? undefined : attempt;
    });
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

describe('kubeha chaos measures what happened (watches, not readings)', () => {
  it('deleting the only pod of a one-replica Deployment is an outage, however fast the replacement is Ready', async () => {
    const ns = `${NS}-single`;
    const [pod] = await namespaceWith(
      ns,
      `
apiVersion: apps/v1
kind: Deployment
metadata: { name: single }
spec:
  replicas: 1
  selector: { matchLabels: { app: single } }
  template:
    metadata: { labels: { app: single } }
    spec:
      nodeSelector: { kubeha-e2e: chaos }
      containers: [{ name: app, image: nginx:1.27 }]
`,
      1,
    );
    const node = pod.spec.nodeName as string;
    const { code, result } = await chaos(
      ['node-loss', node, '--yes', '--hold', '1s', '--timeout', '60s'],
      ns,
    );
    const single = result.workloads.find((w) => w.id === `${ns}/Deployment/single`)!;
    expect(single).toMatchObject({ verdict: 'outage', readyBefore: 1, minReady: 0 });
    expect(single.secondsDown).toBeGreaterThan(0);
    // Its replacement ran on another node while this one was lost: back before the node was.
    expect(single.recoveredAfter).toBeDefined();
    expect(code).toBe(1);
    const [replacement] = await waitPodsReady(kc, ns, 1);
    expect(replacement.metadata.uid).not.toBe(pod.metadata.uid);
    await dropNamespace(kc, ns);
  });

  it('a workload below its floor before is reported at once as such and does not hold the run to its timeout', async () => {
    const ns = `${NS}-degraded`;
    // 3 replicas, one per node, on a zone of one node: 1 Ready, 2 Pending, below the floor of 2.
    await namespaceWith(
      ns,
      `
apiVersion: apps/v1
kind: Deployment
metadata: { name: short }
spec:
  replicas: 3
  selector: { matchLabels: { app: short } }
  template:
    metadata: { labels: { app: short } }
    spec:
      nodeSelector: { topology.kubernetes.io/zone: chaos-c }
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: short } } }
      containers: [{ name: app, image: nginx:1.27 }]
`,
      1,
    );
    const started = Date.now();
    const { code, result } = await chaos(
      ['node-loss', 'chaos-c-1', '--yes', '--hold', '2s', '--timeout', '120s'],
      ns,
    );
    const wallSeconds = (Date.now() - started) / 1000;
    const short = result.workloads.find((w) => w.id === `${ns}/Deployment/short`)!;
    expect(short).toMatchObject({
      verdict: 'degraded-before',
      readyBefore: 1,
      floor: 2,
      notWaited: 'already below its floor before the experiment (1 of 3 ready)',
    });
    // Said before anything was changed.
    expect(result.steps[0]!.step).toBe(
      `${ns}/Deployment/short is already below its floor: 1 of 3 ready (floor 2); reported as it is, not waited for`,
    );
    expect(result.steps[1]!.step).toBe('cordoned chaos-c-1');
    expect(result.steps.at(-1)!.step).toBe('every workload is back to its replicas (1 not waited for)');
    // The hold (2 s) and little more, against a timeout of 120 s.
    expect(result.seconds).toBeLessThan(10);
    expect(wallSeconds).toBeLessThan(20);
    expect(code).toBe(0); // --fail-on error: a workload degraded before fails only at warning
    expect((await nodeSpec('chaos-c-1')).unschedulable).toBeFalsy();
    await dropNamespace(kc, ns);
  });

  it('reports the spread a node loss took for good, in a run of more than 10 s that raises no process warning', async () => {
    const ns = `${NS}-pair`;
    const pods = await namespaceWith(
      ns,
      `
apiVersion: apps/v1
kind: Deployment
metadata: { name: pair }
spec:
  replicas: 2
  selector: { matchLabels: { app: pair } }
  template:
    metadata: { labels: { app: pair } }
    spec:
      nodeSelector: { topology.kubernetes.io/zone: chaos-a }
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: pair } } }
      containers: [{ name: app, image: nginx:1.27 }]
`,
      2,
    );
    const nodes = pods.map((p) => p.spec.nodeName as string).sort();
    expect(nodes, 'the scheduler spread the two replicas over chaos-a-1 and chaos-a-2').toEqual([
      'chaos-a-1',
      'chaos-a-2',
    ]);
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { result } = await chaos(
        ['node-loss', 'chaos-a-1', '--yes', '--hold', '11s', '--timeout', '90s'],
        ns,
      );
      await new Promise((r) => setImmediate(r));
      expect(result.seconds).toBeGreaterThan(10);
      const pair = result.workloads.find((w) => w.id === `${ns}/Deployment/pair`)!;
      expect(pair).toMatchObject({ verdict: 'ok', minReady: 1 });
      // The replacement went to chaos-a-2 while chaos-a-1 was lost, and stays there after it is back.
      expect(pair.spreadLost).toEqual([
        {
          topology: 'node',
          domain: 'chaos-a-2',
          before: 1,
          after: 2,
          replicas: 2,
          domainsBefore: 2,
          domainsAfter: 1,
        },
      ]);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    await dropNamespace(kc, ns);
  });
});
