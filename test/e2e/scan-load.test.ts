// `kubeha scan -n NS --simulate` counts the pods of every other namespace as load on the nodes: a
// replacement cannot go where another team's pod already holds the cpu. The real scheduler is the
// judge: a pod of the same size pinned to the full node stays Pending with "Insufficient cpu".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { run } from '../cli/run.js';
import {
  createAll,
  freshNamespace,
  isPodReady,
  kwokNode,
  type Obj,
  schedulableNodes,
  until,
} from './support.js';

const NS = 'kubeha-load';
const OTHER = 'kubeha-load-other';
const NODES = ['sl-a', 'sl-b'];
const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;

const node = (name: string): KwokNode => kwokNode(name, name, 'scan-load', { cpu: '1', memory: '4Gi' });

const pinned = (name: string, cpu: string, where: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 0
      nodeSelector: { ${where} }
      containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: ${cpu}, memory: 64Mi } } }]
`;

async function podsOf(ns: string): Promise<Obj[]> {
  return (await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods`)).body.items as Obj[];
}

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  await schedulableNodes(kc, NODES.map(node));
  await freshNamespace(kc, NS);
  await freshNamespace(kc, OTHER);
  // Another team's pod takes 900m of sl-a's 1 cpu; web runs on sl-b and may go to either node.
  await createAll(kc, pinned('hog', '900m', 'kubernetes.io/hostname: sl-a'), OTHER);
  await createAll(kc, pinned('web', '200m', 'kubernetes.io/hostname: sl-b'), NS);
  await until('hog and web Ready', 120_000, async () =>
    (await podsOf(OTHER)).some(isPodReady) && (await podsOf(NS)).some(isPodReady) ? true : undefined,
  );
  // web may use either node from now on (a strategic merge patch deletes a map key with null).
  await kubeCall(
    kc,
    'PATCH',
    `/apis/apps/v1/namespaces/${NS}/deployments/web`,
    {
      spec: {
        template: { spec: { nodeSelector: { 'kubeha-e2e': 'scan-load', 'kubernetes.io/hostname': null } } },
      },
    },
    'application/strategic-merge-patch+json',
  );
  await until('web rolled out with its new selector', 120_000, async () => {
    const d = (await kubeCall(kc, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).body;
    const done =
      d.status?.observedGeneration >= d.metadata.generation &&
      d.status?.updatedReplicas === 1 &&
      d.status?.replicas === 1 &&
      d.status?.availableReplicas === 1;
    const pods = await podsOf(NS);
    const current = pods.filter((p) => !p.metadata.deletionTimestamp);
    return done &&
      pods.length === 1 &&
      current[0]?.spec.nodeSelector?.['kubeha-e2e'] === 'scan-load' &&
      current[0]?.spec.nodeSelector?.['kubernetes.io/hostname'] === undefined
      ? true
      : undefined;
  });
}, 300_000);

afterAll(async () => {
  if (process.env.KEEP) return;
  for (const ns of [NS, OTHER])
    await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${ns}`, undefined, undefined, [404]).catch(
      () => undefined,
    );
  await deleteNodes(kc, NODES).catch(() => undefined);
});

describe('scan -n --simulate on a real control plane', () => {
  it("counts other namespaces' pods as load: a replacement does not fit beside them", async () => {
    const webNode = (await podsOf(NS))[0].spec.nodeName as string;
    const other = NODES.find((n) => n !== webNode)!;
    // The judge: a pod of web's size pinned to the other node. It fits only if that node has room.
    const fits = other === 'sl-b';
    await createAll(kc, pinned('probe', '200m', `kubernetes.io/hostname: ${other}`), OTHER);
    const probe = await until('the probe pod to be scheduled or refused', 60_000, async () => {
      const p = (await podsOf(OTHER)).find((x) => x.metadata.name.startsWith('probe-'));
      const scheduled = (p?.status?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled');
      return scheduled && (scheduled.status === 'True' || scheduled.reason === 'Unschedulable')
        ? p
        : undefined;
    });
    const realFits = Boolean(probe.spec.nodeName);
    expect(realFits).toBe(fits);
    await kubeCall(kc, 'DELETE', `/apis/apps/v1/namespaces/${OTHER}/deployments/probe`);

    const scan = await run([
      'scan',
      '--kubeconfig',
      kubeconfig,
      '-n',
      NS,
      '--simulate',
      '-o',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(scan.stderr).not.toContain('counts only namespace');
    const web = (JSON.parse(scan.stdout).findings as Obj[]).find(
      (f) =>
        f.rule.startsWith('sim-') &&
        f.message.startsWith('Deployment web:') &&
        f.message.includes(`-loss:${webNode}`),
    );
    expect(web, JSON.stringify(JSON.parse(scan.stdout).findings.map((f: Obj) => f.message))).toBeDefined();
    // As the real scheduler says: the replacement stays Pending for lack of cpu, or goes to the other node.
    // The scheduler's reason is in the finding's detail; the headline names workload, verdict and scenario.
    if (realFits) expect(web.detail).not.toContain('Insufficient cpu');
    else expect(web.detail, web.detail).toContain('Insufficient cpu');
  }, 180_000);
});
