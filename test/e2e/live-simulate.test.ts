// `kubeha simulate --cluster` starts from where the pods really run: on a real control plane, its
// placement is the cluster's, its node-loss reasons name the nodes the pods ran on, and for every
// node its drain verdict is what `kubectl drain --dry-run=server` and a real drain through the
// Eviction API say (PDBs that allow no eviction, one of them because a pod of its workload is Pending).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { ROOT, run } from '../cli/run.js';
import {
  createAll,
  freshNamespace,
  isPodReady,
  kwokNode,
  type Obj,
  schedulableNodes,
  until,
} from './support.js';

const NS = 'kubeha-live-sim';
const LABEL = 'live-sim';
const kubeconfig = kubeconfigPath();
const KUBECTL = join(ROOT, 'tools', 'cluster', 'bin', 'kubectl');
let kc: Kubeconfig;
// Three zones of two nodes.
const NODES = ['ls-a-1', 'ls-a-2', 'ls-b-1', 'ls-b-2', 'ls-c-1', 'ls-c-2'];

const node = (name: string): KwokNode =>
  kwokNode(name, `ls-${name.split('-')[1]!}`, LABEL, { cpu: '4', memory: '16Gi' });

const container = '[{ name: app, image: nginx:1.27, resources: { requests: { cpu: 100m, memory: 64Mi } } }]';
const hostnameSpread = (app: string, when = 'DoNotSchedule'): string =>
  `topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ${when}, labelSelector: { matchLabels: { app: ${app} } } }]`;

function deployment(name: string, replicas: number, podSpec: string): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 0
      ${podSpec}
      containers: ${container}
---`;
}

function pdb(name: string, rule: string): string {
  return `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name} }
spec:
  ${rule}
  selector: { matchLabels: { app: ${name} } }
---`;
}

// Created while only ls-a-2 and ls-b-1 take pods, then the others open: the pods stay where they are
// (nothing moves a running pod), where a placement from scratch would not put them.
const STRICT = [
  // minAvailable equal to its replicas: the drain of either of its nodes is refused.
  deployment(
    'strict',
    2,
    `nodeSelector: { kubeha-e2e: ${LABEL} }
      ${hostnameSpread('strict')}`,
  ),
  pdb('strict', 'minAvailable: 2'),
].join('\n');
// Created while only ls-b-2 takes pods.
const SOLO = deployment('solo', 1, `nodeSelector: { kubeha-e2e: ${LABEL} }`);

const MANIFESTS = [
  // Spread over the zones, one eviction at a time: every drain goes through.
  deployment(
    'web',
    3,
    `nodeSelector: { kubeha-e2e: ${LABEL} }
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: web } } }]`,
  ),
  pdb('web', 'maxUnavailable: 1'),
  // One pod per node on the two nodes of zone b: the third stays Pending, so maxUnavailable 1 of 3
  // needs 2 healthy, has 2, and allows 0 evictions.
  deployment(
    'gapped',
    3,
    `nodeSelector: { topology.kubernetes.io/zone: ls-b }
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: gapped } } }] } }`,
  ),
  pdb('gapped', 'maxUnavailable: 1'),
  // Both pods on ls-a-1 and nowhere else: the budget lets one eviction through, its replacement
  // stays Pending on the cordoned node, and the second eviction is refused for as long as it waits.
  // A dry run asks both of the status as it is (1 allowed) and passes.
  deployment('pinned', 2, 'nodeSelector: { kubernetes.io/hostname: ls-a-1 }'),
  pdb('pinned', 'maxUnavailable: 1'),
  `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  replicas: 2
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 0
      nodeSelector: { topology.kubernetes.io/zone: ls-a }
      ${hostnameSpread('db', 'ScheduleAnyway')}
      containers: ${container}
---`,
  pdb('db', 'maxUnavailable: 1'),
  `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      nodeSelector: { kubeha-e2e: ${LABEL} }
      containers: ${container}
`,
].join('\n');

const REPLICAS: Record<string, number> = {
  web: 3,
  strict: 2,
  gapped: 3,
  pinned: 2,
  solo: 1,
  db: 2,
  agent: NODES.length,
};
const PENDING = 1; // gapped's third pod
const TOTAL = Object.values(REPLICAS).reduce((a, b) => a + b, 0);

const pods = async (): Promise<Obj[]> =>
  (await kubeCall(kc, 'GET', `/api/v1/namespaces/${NS}/pods`)).body.items as Obj[];

/**
 * Until every pod is where the controllers want it (no Terminating pod, every replica there, all but
 * gapped's third one Ready) and the disruption controller has counted them: each PDB's
 * currentHealthy is its Ready pods, and no eviction is waiting to be seen (disruptedPods empty).
 */
async function settled(): Promise<Obj[]> {
  return until('the namespace to settle', 120_000, async () => {
    const all = await pods();
    if (all.some((p) => p.metadata.deletionTimestamp)) return undefined;
    if (all.length !== TOTAL) return undefined;
    if (all.filter(isPodReady).length !== TOTAL - PENDING) return undefined;
    const pdbs = (await kubeCall(kc, 'GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`)).body
      .items as Obj[];
    for (const b of pdbs) {
      const s = b.status ?? {};
      const ready = all.filter((p) => p.metadata.labels?.app === b.metadata.name && isPodReady(p)).length;
      if (s.observedGeneration !== b.metadata.generation || s.currentHealthy !== ready) return undefined;
      if (Object.keys(s.disruptedPods ?? {}).length > 0) return undefined;
    }
    return all;
  });
}

const appOf = (p: Obj): string => p.metadata.labels.app as string;
const workloadId = (app: string): string =>
  `${NS}/${app === 'db' ? 'StatefulSet' : app === 'agent' ? 'DaemonSet' : 'Deployment'}/${app}`;

async function simulateJson(...scenario: string[]): Promise<Obj> {
  const r = await run([
    'simulate',
    '--cluster',
    '--kubeconfig',
    kubeconfig,
    '-n',
    NS,
    ...scenario.flatMap((s) => ['-s', s]),
    '-o',
    'json',
    '--fail-on',
    'none',
  ]);
  if (r.code !== 0) throw new Error(`kubeha simulate exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** `kubectl drain --dry-run=server`: every eviction asked of the Eviction API, none done. */
function dryRunDrain(name: string): { blocked: boolean; output: string } {
  const r = spawnSync(
    KUBECTL,
    [
      '--kubeconfig',
      kubeconfig,
      'drain',
      '--dry-run=server',
      name,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      // kubectl retries a refused eviction every 5 s, by default for ever: one retry is enough to
      // tell a budget at 0 (a dry run changes nothing, so the answer cannot change).
      '--timeout=8s',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { blocked: r.status !== 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * A real drain: cordon, then POST an Eviction for every pod on the node but DaemonSet pods, each
 * retried while the API server answers 429 (as kubectl drain does), for up to `seconds`. Blocked
 * when some pod is still refused at the end. The node is uncordoned after.
 */
const cordon = (name: string, unschedulable: boolean): Promise<unknown> =>
  kubeCall(kc, 'PATCH', `/api/v1/nodes/${name}`, { spec: { unschedulable } }, 'application/merge-patch+json');

async function realDrain(name: string, seconds: number): Promise<{ blocked: boolean; refused: string[] }> {
  const patch = (unschedulable: boolean): Promise<unknown> => cordon(name, unschedulable);
  await patch(true);
  try {
    const on = (await pods()).filter(
      (p) =>
        p.spec.nodeName === name &&
        !p.metadata.deletionTimestamp &&
        !(p.metadata.ownerReferences ?? []).some((o: Obj) => o.kind === 'DaemonSet'),
    );
    const deadline = Date.now() + seconds * 1000;
    const refused: string[] = [];
    await Promise.all(
      on.map(async (p) => {
        for (;;) {
          const res = await kubeRequest(
            kc,
            'POST',
            `/api/v1/namespaces/${NS}/pods/${p.metadata.name}/eviction`,
            {
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name: p.metadata.name, namespace: NS },
            },
          );
          if (res.status >= 200 && res.status < 300) return;
          if (res.status === 404) return; // already gone
          if (res.status !== 429) throw new Error(`eviction of ${p.metadata.name}: HTTP ${res.status}`);
          if (Date.now() > deadline) {
            refused.push(p.metadata.name);
            return;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      }),
    );
    return { blocked: refused.length > 0, refused };
  } finally {
    await patch(false);
  }
}

beforeAll(async () => {
  kc = loadKubeconfig(kubeconfig);
  await schedulableNodes(kc, NODES.map(node));
  await freshNamespace(kc, NS);
  // History: strict lands on ls-a-2 and ls-b-1, solo on ls-b-2, while the other nodes are cordoned
  // (a placement from scratch puts them on the emptiest nodes, of zone c).
  const only = async (open: string[]): Promise<void> => {
    for (const n of NODES) await cordon(n, !open.includes(n));
  };
  const readyOf = async (app: string, count: number): Promise<void> => {
    await until(`${count} Ready pods of ${app}`, 120_000, async () =>
      (await pods()).filter((p) => appOf(p) === app && isPodReady(p)).length === count ? true : undefined,
    );
  };
  try {
    await only(['ls-a-2', 'ls-b-1']);
    await createAll(kc, STRICT, NS);
    await readyOf('strict', 2);
    await only(['ls-b-2']);
    await createAll(kc, SOLO, NS);
    await readyOf('solo', 1);
  } finally {
    await only(NODES);
  }
  await createAll(kc, MANIFESTS, NS);
  await settled();
}, 240_000);

afterAll(async () => {
  await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${NS}`, undefined, undefined, [404]).catch(
    () => undefined,
  );
  await deleteNodes(kc, NODES).catch(() => undefined);
});

describe('simulate --cluster from the live placement, on a real control plane', () => {
  it('places every workload where its pods run, and names the real nodes in node-loss reasons', async () => {
    const live = await settled();
    const report = await simulateJson('node-loss');
    // The placement is the cluster's, pod for pod.
    const matched: string[] = [];
    for (const p of report.placement as Obj[]) {
      const real: Record<string, number> = {};
      for (const pod of live)
        if (workloadId(appOf(pod)) === p.workload && pod.spec.nodeName)
          real[pod.spec.nodeName] = (real[pod.spec.nodeName] ?? 0) + 1;
      if (JSON.stringify(Object.entries(real).sort()) === JSON.stringify(Object.entries(p.byNode).sort()))
        matched.push(p.workload);
    }
    console.log(
      `live-simulate: placement matched the cluster for ${matched.length} of ${report.placement.length} workloads`,
    );
    expect(matched.length).toBe(report.placement.length);
    expect(report.placement.length).toBe(6); // all but the DaemonSet, whose pods are load
    const gapped = (report.placement as Obj[]).find((p) => p.workload === workloadId('gapped'));
    expect(gapped.pending).toBe(1);
    // kube-scheduler's own message for the Pending pod.
    expect(gapped.pendingReasons[0]).toMatch(/^0\/\d+ nodes are available: .*anti-affinity/);

    // Losing a node touches exactly the workloads with a pod on it, and says it was there.
    for (const name of NODES) {
      const scenario = (report.scenarios as Obj[]).find((s) => s.id === `node-loss:${name}`);
      const onNode = [
        ...new Set(
          live
            .filter((p) => p.spec.nodeName === name && appOf(p) !== 'agent')
            .map((p) => workloadId(appOf(p))),
        ),
      ].sort();
      expect(scenario.workloads.map((w: Obj) => w.workload).sort(), name).toEqual(onNode);
    }
    const soloNode = live.find((p) => appOf(p) === 'solo').spec.nodeName as string;
    const solo = (report.scenarios as Obj[])
      .find((s) => s.id === `node-loss:${soloNode}`)
      .workloads.find((w: Obj) => w.workload === workloadId('solo'));
    expect(solo.verdict).toBe('outage');
    expect(solo.reason).toContain(`the only replica was on ${soloNode}`);

    // scan --simulate runs the same simulation: its finding names the same node.
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
    const outage = (JSON.parse(scan.stdout).findings as Obj[]).find(
      (f) => f.rule === 'sim-outage' && f.message.startsWith('Deployment solo:'),
    );
    expect(outage.message).toBe(`Deployment solo: outage in node-loss:${soloNode}`);
    expect(outage.detail).toContain(`the only replica was on ${soloNode}`);
  }, 180_000);

  it('for every node, the drain verdict is the dry run’s and the Eviction API’s', async () => {
    const rows: {
      node: string;
      kubeha: boolean;
      dryRun: boolean;
      real: boolean;
      blocking: string[];
      reasons: string[];
    }[] = [];
    for (const name of NODES) {
      await settled();
      const report = await simulateJson(`drain:${name}`);
      const scenario = (report.scenarios as Obj[]).find((s) => s.id === `drain:${name}`);
      const blocked = (scenario.workloads as Obj[]).filter((w) => w.blockedBy !== null);
      const dry = dryRunDrain(name);
      const real = await realDrain(name, 25);
      rows.push({
        node: name,
        kubeha: blocked.length > 0,
        dryRun: dry.blocked,
        real: real.blocked,
        blocking: blocked.map((w) => (w.workload as string).split('/')[2]!),
        reasons: blocked.map((w) => `${w.workload}: ${w.reason}`),
      });
    }
    // What kubeha says a dry run finds: a refusal before any eviction went through (pinned's comes
    // after one), since a dry run asks every eviction of the status as it is.
    const firstRound = (r: (typeof rows)[number]): boolean => r.blocking.some((app) => app !== 'pinned');
    const agreeDry = rows.filter((r) => firstRound(r) === r.dryRun).length;
    const agreeReal = rows.filter((r) => r.kubeha === r.real).length;
    console.log(
      `live-simulate: drain verdicts agreed with the Eviction API on ${agreeReal} of ${rows.length} nodes; first-round refusals with kubectl drain --dry-run=server on ${agreeDry}\n` +
        rows
          .map((r) => `  ${r.node}: kubeha ${r.kubeha}, dry run ${r.dryRun}, eviction ${r.real}`)
          .join('\n'),
    );
    for (const r of rows) {
      expect({ node: r.node, blocked: r.kubeha }).toEqual({ node: r.node, blocked: r.real });
      expect({ node: r.node, blocked: firstRound(r) }).toEqual({ node: r.node, blocked: r.dryRun });
    }
    // The cases are all there: refused by minAvailable, by a budget a Pending pod holds at 0, and passed.
    const reasons = rows.flatMap((r) => r.reasons);
    expect(reasons.some((r) => r.includes('/strict:') && r.includes('PDB strict allows 0 disruptions'))).toBe(
      true,
    );
    expect(
      reasons.some(
        (r) => r.includes('/gapped:') && /PDB gapped allows 0 disruptions .*1 of its pods is Pending/.test(r),
      ),
    ).toBe(true);
    expect(rows.some((r) => !r.kubeha)).toBe(true);
    expect(rows.find((r) => r.node === 'ls-a-1')).toMatchObject({ kubeha: true, dryRun: false, real: true });
    expect(reasons.some((r) => r.includes('/pinned:') && r.includes('the replacement stays Pending'))).toBe(
      true,
    );
  }, 600_000);
});
