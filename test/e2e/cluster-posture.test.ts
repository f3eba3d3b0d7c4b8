// The cluster-posture rules of scan (issue 17, item 5) against the real control plane of
// tools/cluster: nodes registered by kwok and made schedulable by the node lifecycle controller,
// allocatable cpu as the API server defaults it, DaemonSets, Deployments and CRDs as it stores them.
// Other test files may share the cluster, so every assertion is about this file's own objects.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { run } from '../cli/run.js';
import { createAll, dropNamespace, freshNamespace, kwokNode, schedulableNodes, type Obj } from './support.js';

const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;
const OWNER = 'cluster-posture';
const ns = 'posture-e2e';

interface JsonFinding {
  rule: string;
  message: string;
  object?: { kind: string; namespace: string; name: string };
}

/** A scan of every namespace (-A): the posture rules say nothing about a scan of one namespace. */
async function findings(rule: string): Promise<JsonFinding[]> {
  const r = await run(['scan', '-A', '--kubeconfig', kubeconfig, '-o', 'json']);
  expect(r.stdout, r.stderr).not.toBe('');
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === rule);
}

const BIG = ['posture-big-1', 'posture-big-2', 'posture-big-3'];
const SMALL = ['posture-small-1'];

beforeAll(async () => {
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run 'npm run cluster:up'`);
  kc = loadKubeconfig(kubeconfig);
  await freshNamespace(kc, ns);
}, 180_000);

afterAll(async () => {
  await dropNamespace(kc, ns);
  await deleteNodes(kc, [...BIG, ...SMALL]);
  await kubeCall(
    kc,
    'DELETE',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/nodepools.karpenter.sh',
    undefined,
    undefined,
    [404],
  );
});

describe('zone-node-imbalance', () => {
  it('a zone with 3 schedulable nodes beside one with 1 is reported; 1 and 1 are not', async () => {
    await schedulableNodes(kc, [
      ...BIG.map((n) => kwokNode(n, 'posture-big', OWNER, { cpu: '4', memory: '16Gi' })),
      ...SMALL.map((n) => kwokNode(n, 'posture-small', OWNER, { cpu: '4', memory: '16Gi' })),
    ]);
    // The largest zone is this file's: no other test makes a zone of 3 schedulable nodes.
    const reported = (await findings('zone-node-imbalance')).filter((f) =>
      f.message.includes('posture-big: 3'),
    );
    expect(reported).toHaveLength(1);
    expect(reported[0]!.message).toMatch(/^Schedulable nodes per zone differ by \d+% \(/);
    expect(reported[0]!.object?.kind).toBe('Node');

    await deleteNodes(kc, BIG.slice(1));
    const after = await findings('zone-node-imbalance');
    expect(after.filter((f) => /posture-(big|small)/.test(f.message))).toEqual([]);
  }, 180_000);

  it('equal counts, allocatable cpu 4 against 16 (the API server defaults allocatable to capacity)', async () => {
    // Recreated: the API server defaults allocatable only on a node created without one.
    await deleteNodes(kc, [BIG[0]!]);
    await schedulableNodes(kc, [kwokNode(BIG[0]!, 'posture-big', OWNER, { cpu: '16', memory: '16Gi' })]);
    const { body } = await kubeCall(kc, 'GET', `/api/v1/nodes/${BIG[0]}`);
    expect((body as Obj).status.allocatable.cpu).toBe('16');
    const reported = (await findings('zone-node-imbalance')).filter((f) =>
      f.message.includes('posture-small: 4, posture-big: 16'),
    );
    // Only when no other zone has fewer nodes than these two (a shared cluster may have one).
    const counts = await schedulableCounts();
    const fewest = Math.min(...counts.values());
    const most = Math.max(...counts.values());
    if (fewest === 1 && most === 1) {
      expect(reported).toHaveLength(1);
      expect(reported[0]!.message).toMatch(/^Allocatable cpu per zone differs by 75%/);
    }
  }, 180_000);
});

/** Schedulable nodes per zone, as the API server has them now. */
async function schedulableCounts(): Promise<Map<string, number>> {
  const { body } = await kubeCall(kc, 'GET', '/api/v1/nodes');
  const counts = new Map<string, number>();
  for (const n of (body as Obj).items as Obj[]) {
    const zone = n.metadata.labels?.['topology.kubernetes.io/zone'];
    const tainted = (n.spec.taints ?? []).some(
      (t: Obj) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
    );
    if (zone === undefined || tainted || n.spec.unschedulable) continue;
    counts.set(zone, (counts.get(zone) ?? 0) + 1);
  }
  return counts;
}

const deployment = (name: string, image: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers: [{ name: main, image: ${image} }]
`;

describe('no-node-autoscaler', () => {
  it('reported until a Cluster Autoscaler runs or the Karpenter NodePool CRD is installed', async () => {
    // The posture rules look at the whole cluster; another file's autoscaler would hide the finding.
    const { body } = await kubeCall(kc, 'GET', '/apis/apps/v1/deployments');
    const others = ((body as Obj).items as Obj[]).some((d) => /autoscaler|karpenter/.test(d.metadata.name));
    if (!others) expect(await findings('no-node-autoscaler')).toHaveLength(1);

    await createAll(
      kc,
      deployment('cluster-autoscaler', 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0', 0),
    );
    if (!others) expect(await findings('no-node-autoscaler')).toHaveLength(1);
    await kubeCall(
      kc,
      'PATCH',
      `/apis/apps/v1/namespaces/${ns}/deployments/cluster-autoscaler`,
      { spec: { replicas: 1 } },
      'application/merge-patch+json',
    );
    expect(await findings('no-node-autoscaler')).toEqual([]);

    await kubeCall(kc, 'DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/cluster-autoscaler`);
    // A cluster-scoped kind createAll does not know: created at its collection.
    await kubeCall(
      kc,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'nodepools.karpenter.sh' },
        spec: {
          group: 'karpenter.sh',
          names: { kind: 'NodePool', plural: 'nodepools', singular: 'nodepool', listKind: 'NodePoolList' },
          scope: 'Cluster',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
      undefined,
      [409],
    );
    expect(await findings('no-node-autoscaler')).toEqual([]);
  }, 180_000);
});

describe('no-logging-agent', () => {
  it('reported until a Fluent Bit DaemonSet runs', async () => {
    const { body } = await kubeCall(kc, 'GET', '/apis/apps/v1/daemonsets');
    const others = ((body as Obj).items as Obj[]).length > 0;
    if (!others) expect(await findings('no-logging-agent')).toHaveLength(1);
    await createAll(
      kc,
      `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: log-router, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: log-router } }
  template:
    metadata: { labels: { app: log-router } }
    spec:
      nodeSelector: { kubeha-e2e: ${OWNER} }
      containers: [{ name: fluent-bit, image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2 }]
`,
    );
    expect(await findings('no-logging-agent')).toEqual([]);
  }, 180_000);
});
